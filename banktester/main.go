// Command banktester drives the pfsense-mcp server with an AI consumer against a firewall,
// following task files, and reports coverage and failures.
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), "Usage: banktester [flags]\n\nRuns task files against pfsense-mcp with an AI consumer and reports coverage and failures.\n\nFlags:\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	fmt.Fprintln(os.Stderr, "banktester: running tasks is not implemented yet")
	os.Exit(2)
}
