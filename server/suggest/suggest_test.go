package suggest

import "testing"

func TestClosest(t *testing.T) {
	fields := []string{"address", "descr", "detail", "name", "type"}
	for word, want := range map[string]string{"adress": "address", "nmae": "name", "Type": "type", "zzzzzz": "", "": ""} {
		if got := Closest(word, fields, 3); got != want {
			t.Errorf("Closest(%q) = %q, want %q", word, got, want)
		}
	}
}
