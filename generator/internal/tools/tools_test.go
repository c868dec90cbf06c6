package tools

import (
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/load"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

func TestBuildDescribesEveryOperation(t *testing.T) {
	path, err := specfile.Path()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := load.File(path)
	if err != nil {
		t.Fatal(err)
	}
	tools, err := Build(doc)
	if err != nil {
		t.Fatal(err)
	}
	if len(tools) != 677 {
		t.Fatalf("Build returned %d tools, want 677", len(tools))
	}
	for _, tool := range tools {
		if tool.Description == "" || tool.Method == "" || tool.Path == "" {
			t.Errorf("%s is incomplete: %+v", tool.Name, tool)
		}
	}
}
