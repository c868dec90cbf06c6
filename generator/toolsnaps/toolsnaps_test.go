// Package toolsnaps holds the committed snapshot of the generated tool surface, one readable
// file per module. The test below regenerates the surface from the spec given to the build and
// fails with a diff when it differs, so every change to tool names, flags, descriptions or
// schemas is reviewed. Refresh the snapshot with:
//
//	tools/bazel run //generator:update_toolsnaps
package toolsnaps_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/generate"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/load"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/snapshot"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

func TestToolSurfaceMatchesSnapshot(t *testing.T) {
	committed := map[string][]byte{}
	paths, err := filepath.Glob("*" + snapshot.Ext)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		committed[filepath.Base(p)] = b
	}
	version, err := snapshot.Version(committed)
	if err != nil {
		t.Fatalf("read the committed snapshot: %v (refresh with: %s)", err, snapshot.RefreshCommand)
	}

	path, err := specfile.Path()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := load.File(path)
	if err != nil {
		t.Fatal(err)
	}
	nb, err := specfile.ReadNative()
	if err != nil {
		t.Fatal(err)
	}
	nat, err := generate.ParseNative(nb)
	if err != nil {
		t.Fatal(err)
	}
	s, err := generate.Build(doc, nat)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != version {
		t.Skipf("the committed snapshot describes spec %s but the build's spec is %s: nothing to compare. "+
			"To record this spec's surface instead, run: %s", version, s.Version, snapshot.RefreshCommand)
	}
	generated, err := snapshot.Render(s.Version, s.Tools)
	if err != nil {
		t.Fatal(err)
	}
	if diff := snapshot.Diff(committed, generated); diff != "" {
		t.Errorf("the generated tool surface differs from the committed snapshot (generator/toolsnaps):\n\n%s\n"+
			"If the change is intended, refresh the snapshot and commit it:\n  %s", strings.TrimRight(diff, "\n"), snapshot.RefreshCommand)
	}
}
