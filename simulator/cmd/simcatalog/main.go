// Command simcatalog compiles the pfSense REST API OpenAPI spec, with the native schema of the
// same version when there is one (and the committed rules table of that version), into the
// simulator's compact catalog, which the simulator embeds so that it starts in milliseconds
// (see simulator/internal/catalog). The build runs it; nobody needs to by hand.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

func main() {
	spec := flag.String("spec", "", "the OpenAPI spec (JSON)")
	nat := flag.String("native", "", "the native schema of the same REST API version (optional; `{}` means none)")
	out := flag.String("out", "", "where to write the compact catalog")
	flag.Parse()
	if err := run(*spec, *nat, *out); err != nil {
		fmt.Fprintln(os.Stderr, "simcatalog:", err)
		os.Exit(1)
	}
}

func run(spec, nat, out string) error {
	if spec == "" || out == "" {
		return fmt.Errorf("both --spec and --out are required")
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
	c, err := catalog.Build(b, nb)
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
