// Command simcatalog compiles the pfSense REST API OpenAPI spec into the simulator's compact
// catalog, which the simulator embeds so that it starts in milliseconds (see
// simulator/internal/catalog). The build runs it; nobody needs to by hand.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

func main() {
	spec := flag.String("spec", "", "the OpenAPI spec (JSON)")
	out := flag.String("out", "", "where to write the compact catalog")
	flag.Parse()
	if err := run(*spec, *out); err != nil {
		fmt.Fprintln(os.Stderr, "simcatalog:", err)
		os.Exit(1)
	}
}

func run(spec, out string) error {
	if spec == "" || out == "" {
		return fmt.Errorf("both --spec and --out are required")
	}
	b, err := os.ReadFile(spec)
	if err != nil {
		return fmt.Errorf("read spec: %w", err)
	}
	c, err := catalog.Compile(b)
	if err != nil {
		return fmt.Errorf("compile %s: %w", spec, err)
	}
	enc, err := c.Encode()
	if err != nil {
		return fmt.Errorf("encode catalog: %w", err)
	}
	if err := os.WriteFile(out, enc, 0o644); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}
