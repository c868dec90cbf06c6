package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/specdiff"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// TestCommand: the build's spec against itself reports nothing, as text and as JSON, with the
// NEW spec defaulting to the build's; a call without a spec says how to call it.
func TestCommand(t *testing.T) {
	spec, err := specfile.Path()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := run([]string{spec}, &out, &errOut); err != nil {
		t.Fatalf("specdiff %s: %v", spec, err)
	}
	lines := strings.Split(out.String(), "\n")
	if !strings.HasPrefix(lines[0], "REST API ") || lines[1] != "added 0, removed 0, renamed 0, inputs changed 0, description only 0" ||
		!strings.Contains(out.String(), "No tool was added, removed or renamed, and no input changed.") {
		t.Errorf("text report:\n%s", out.String())
	}
	out.Reset()
	if err := run([]string{"--json", spec, spec}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	var r specdiff.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("JSON report: %v\n%s", err, out.String())
	}
	if r.From != r.To || r.FromTools != r.ToTools || r.FromTools == 0 || !r.Empty() {
		t.Errorf("JSON report: %+v", r)
	}
	errOut.Reset()
	if err := run(nil, &out, &errOut); err == nil || !strings.Contains(errOut.String(), "usage: specdiff [--detail] [--json] OLD.json [NEW.json]") {
		t.Errorf("no arguments: %v\n%s", err, errOut.String())
	}
}
