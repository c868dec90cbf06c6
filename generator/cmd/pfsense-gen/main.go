// Command pfsense-gen turns the pfSense REST API OpenAPI spec into a Go package that
// describes one MCP tool per operation. Bazel runs it through pfsense_tool_library
// (generator/defs.bzl); it can also be run by hand:
//
//	pfsense-gen --spec openapi-spec.json [--native native-schema.json] --out tools.go --package tooldefs
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/generate"
)

func main() {
	spec := flag.String("spec", "", "path to the OpenAPI spec (JSON)")
	nat := flag.String("native", "", "path to the native schema of the same REST API version (optional; `{}` means none)")
	out := flag.String("out", "", "path of the Go file to write")
	pkg := flag.String("package", "tooldefs", "Go package name of the generated file")
	flag.Parse()
	if err := run(*spec, *nat, *out, *pkg); err != nil {
		fmt.Fprintln(os.Stderr, "pfsense-gen:", err)
		os.Exit(1)
	}
}

func run(spec, nat, out, pkg string) error {
	if spec == "" || out == "" {
		return fmt.Errorf("--spec and --out are required")
	}
	b, err := os.ReadFile(spec)
	if err != nil {
		return fmt.Errorf("read spec: %w", err)
	}
	var nb []byte
	if nat != "" {
		if nb, err = os.ReadFile(nat); err != nil {
			return fmt.Errorf("read native schema: %w", err)
		}
	}
	src, err := generate.Source(b, nb, pkg)
	if err != nil {
		return fmt.Errorf("generate from %s: %w", spec, err)
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return err
	}
	return os.WriteFile(out, src, 0o644)
}
