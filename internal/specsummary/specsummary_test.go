package specsummary

import "testing"

func TestRead(t *testing.T) {
	for _, tc := range []struct {
		spec    string
		want    Summary
		wantErr string
	}{
		{`{"info":{"version":"v9"},"paths":{"/a":{"get":{},"post":{},"parameters":[]},"/b":{"summary":"x","delete":{}}}}`, Summary{"v9", 3}, ""},
		{`{"info":{"version":"v1"}}`, Summary{"v1", 0}, ""},
		{`{"paths":{}}`, Summary{}, "the OpenAPI spec has no info.version"},
		{`[`, Summary{}, "read the OpenAPI spec: unexpected end of JSON input"},
	} {
		got, err := Read([]byte(tc.spec))
		if tc.wantErr != "" {
			if err == nil || err.Error() != tc.wantErr {
				t.Errorf("Read(%s) error = %v, want %q", tc.spec, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("Read(%s) = %+v, %v; want %+v", tc.spec, got, err, tc.want)
		}
	}
}
