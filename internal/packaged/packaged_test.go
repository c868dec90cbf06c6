package packaged

import (
	"reflect"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

func TestMostNeeded(t *testing.T) {
	tools := []toolspec.Tool{
		{Name: "b_read", RequiredPackages: []string{"pkg-b"}},
		{Name: "a_read", RequiredPackages: []string{"pkg-a"}},
		{Name: "a_write", Mutation: true, RequiredPackages: []string{"pkg-a"}},
		{Name: "a_write2", Mutation: true, RequiredPackages: []string{"pkg-a"}},
		{Name: "b_read2", RequiredPackages: []string{"pkg-b"}},
		{Name: "plain"},
	}
	for _, tc := range []struct {
		reads bool
		pkg   string
		names []string
	}{
		{false, "pkg-a", []string{"a_read", "a_write", "a_write2"}},
		{true, "pkg-b", []string{"b_read", "b_read2"}},
	} {
		pkg, names := MostNeeded(tools, tc.reads)
		if pkg != tc.pkg || !reflect.DeepEqual(names, tc.names) {
			t.Errorf("MostNeeded(reads only %v) = %s %v, want %s %v", tc.reads, pkg, names, tc.pkg, tc.names)
		}
	}
	if pkg, names := MostNeeded(tools[5:], false); pkg != "" || names != nil {
		t.Errorf("no package needed: %q %v", pkg, names)
	}
}
