// Command simrules regenerates the simulator's committed rules table (simulator/rules/<version>.txt)
// from the REST API package's behaviour dump. Through Bazel it reads the dump of the build's
// REST API version (//spec:behaviour) and writes into the workspace:
//
//	tools/bazel run //simulator:update_rules
//	PFSENSE_OPENAPI_SPEC=../shared/pfrest/openapi-v2.10.0.json tools/bazel run //simulator:update_rules
//
// Without Bazel: go run ./simulator/cmd/simrules --behaviour FILE --out simulator/rules/VERSION.txt
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/rules"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

func main() {
	dump := flag.String("behaviour", "", "behaviour dump (default: the build's //spec:behaviour)")
	version := flag.String("version", "", "REST API version of the dump (default: read from the file name or the spec)")
	out := flag.String("out", "", "table file to write (default: $BUILD_WORKSPACE_DIRECTORY/simulator/rules/<version>.txt)")
	flag.Parse()
	if err := run(*dump, *version, *out); err != nil {
		fmt.Fprintln(os.Stderr, "simrules:", err)
		os.Exit(1)
	}
}

func run(dumpPath, version, out string) error {
	var dump []byte
	var err error
	if dumpPath != "" {
		dump, err = os.ReadFile(dumpPath)
	} else {
		dump, err = specfile.ReadBehaviour()
	}
	if err != nil {
		return err
	}
	if version == "" {
		version = versionOf(dumpPath)
	}
	if version == "" {
		return fmt.Errorf("cannot tell the REST API version: pass --version")
	}
	text, err := rules.Distill(dump, version)
	if err != nil {
		return err
	}
	if out == "" {
		ws := os.Getenv("BUILD_WORKSPACE_DIRECTORY")
		if ws == "" {
			return fmt.Errorf("BUILD_WORKSPACE_DIRECTORY is not set: run me with `tools/bazel run //simulator:update_rules`, or pass --out")
		}
		out = filepath.Join(ws, "simulator", "rules", version+".txt")
	}
	if err := os.WriteFile(out, text, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "simrules: wrote %s\n", out)
	return nil
}

// versionOf reads the version from a dump's file name (behaviour-v2.7.1.json), else from the
// build's spec (info.version).
func versionOf(path string) string {
	if path != "" {
		var v string
		if _, err := fmt.Sscanf(filepath.Base(path), "behaviour-%s", &v); err == nil {
			if n := len(v) - len(".json"); n > 0 && v[n:] == ".json" {
				return v[:n]
			}
		}
		return ""
	}
	spec, err := specfile.Read()
	if err != nil {
		return ""
	}
	var doc struct {
		Info struct {
			Version string `json:"version"`
		} `json:"info"`
	}
	if json.Unmarshal(spec, &doc) != nil {
		return ""
	}
	return doc.Info.Version
}
