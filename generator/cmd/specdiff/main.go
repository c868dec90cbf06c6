// Command specdiff prints what changed in the MCP tools between two pfSense REST API specs: tools
// added, removed and renamed, and the tools whose inputs changed. Run it after fetching a newer
// spec and before rebuilding, to see what the new tools will be:
//
//	tools/fetch-spec https://192.168.1.1                       # writes spec/openapi-spec.json
//	tools/bazel run //generator:specdiff -- OLD.json [NEW.json] # NEW defaults to the build's spec
//
// --detail says how each changed input changed; --json prints the whole report as JSON. The exit status is 0 either way; 1 on an error.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/generate"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/load"
	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/specdiff"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "specdiff:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("specdiff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	detail := fs.Bool("detail", false, "say how each changed input changed")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: specdiff [--detail] [--json] OLD.json [NEW.json]\n\nPrints what changed in the MCP tools from the OLD spec to the NEW one (default: the build's spec).")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var oldPath, newPath string
	switch fs.NArg() {
	case 1:
		oldPath = inWorkingDir(fs.Arg(0))
		p, err := specfile.Path()
		if err != nil {
			return fmt.Errorf("no NEW spec given and %w", err)
		}
		newPath = p
	case 2:
		oldPath, newPath = inWorkingDir(fs.Arg(0)), inWorkingDir(fs.Arg(1))
	default:
		fs.Usage()
		return fmt.Errorf("give the OLD spec, and optionally the NEW one")
	}
	r, err := Compare(oldPath, newPath)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return r.WriteText(stdout, *detail)
}

// Compare builds the tools of both specs (from the spec alone, so both sides are made alike) and
// compares them.
func Compare(oldPath, newPath string) (*specdiff.Report, error) {
	from, err := surface(oldPath)
	if err != nil {
		return nil, err
	}
	to, err := surface(newPath)
	if err != nil {
		return nil, err
	}
	return specdiff.Diff(from.Version, from.Tools, to.Version, to.Tools)
}

func surface(path string) (*generate.Surface, error) {
	doc, err := load.File(path)
	if err != nil {
		return nil, err
	}
	s, err := generate.Build(doc, nil)
	if err != nil {
		return nil, fmt.Errorf("generate tools from %s: %w", path, err)
	}
	return s, nil
}

// inWorkingDir resolves a relative path against the directory `bazel run` was started in.
func inWorkingDir(p string) string {
	if wd := os.Getenv("BUILD_WORKING_DIRECTORY"); wd != "" && !filepath.IsAbs(p) {
		return filepath.Join(wd, p)
	}
	return p
}
