// Command update-toolsnaps rewrites the snapshot of the tool surface (generator/toolsnaps/*.txt)
// from the spec given to the build. Run it through Bazel from anywhere in the repository:
//
//	tools/bazel run //generator:update_toolsnaps
//
// It writes into $BUILD_WORKSPACE_DIRECTORY/generator/toolsnaps (set by bazel run) unless
// --out names another directory, and removes snapshot files of modules that no longer exist.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/generate"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/load"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/snapshot"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// Dir is where the snapshot lives in the repository.
const Dir = "generator/toolsnaps"

func main() {
	out := flag.String("out", "", "directory to write the snapshot files to (default: $BUILD_WORKSPACE_DIRECTORY/"+Dir+")")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "update-toolsnaps:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	if out == "" {
		ws := os.Getenv("BUILD_WORKSPACE_DIRECTORY")
		if ws == "" {
			return fmt.Errorf("BUILD_WORKSPACE_DIRECTORY is not set: run me with `%s`, or pass --out", snapshot.RefreshCommand)
		}
		out = filepath.Join(ws, Dir)
	}
	path, err := specfile.Path()
	if err != nil {
		return err
	}
	doc, err := load.File(path)
	if err != nil {
		return err
	}
	nb, err := specfile.ReadNative()
	if err != nil {
		return err
	}
	nat, err := generate.ParseNative(nb)
	if err != nil {
		return err
	}
	s, err := generate.Build(doc, nat)
	if err != nil {
		return err
	}
	files, err := snapshot.Render(s.Version, s.Tools)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	old, err := filepath.Glob(filepath.Join(out, "*"+snapshot.Ext))
	if err != nil {
		return err
	}
	for _, f := range old {
		if _, keep := files[filepath.Base(f)]; !keep {
			if err := os.Remove(f); err != nil {
				return fmt.Errorf("remove stale snapshot: %w", err)
			}
		}
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := os.WriteFile(filepath.Join(out, name), files[name], 0o644); err != nil {
			return fmt.Errorf("write snapshot: %w", err)
		}
	}
	fmt.Printf("wrote %d tools of spec %s to %s: %s\n", len(s.Tools), s.Version, out, strings.Join(names, " "))
	return nil
}
