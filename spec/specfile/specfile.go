// Package specfile finds the OpenAPI spec for programs and tests that take it as a
// Bazel data dependency. A target passes the spec's runfiles location in the environment:
//
//	data = ["//spec:openapi"],
//	env = {"PFSENSE_OPENAPI_SPEC_RLOCATION": "$(rlocationpath //spec:openapi)"},
//
// Outside Bazel (plain `go test`), $PFSENSE_OPENAPI_SPEC names the file instead.
package specfile

import (
	"fmt"
	"os"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

// RlocationEnv carries the spec's runfiles location; see the package comment.
const RlocationEnv = "PFSENSE_OPENAPI_SPEC_RLOCATION"

// PathEnv names the spec file directly (absolute or relative to the working directory).
const PathEnv = "PFSENSE_OPENAPI_SPEC"

// Path returns the path of the spec file.
func Path() (string, error) {
	if loc := os.Getenv(RlocationEnv); loc != "" {
		p, err := runfiles.Rlocation(loc)
		if err != nil {
			return "", fmt.Errorf("find spec %s in runfiles: %w", loc, err)
		}
		return p, nil
	}
	if p := os.Getenv(PathEnv); p != "" {
		return p, nil
	}
	return "", fmt.Errorf("no spec: set %s (Bazel data dependency on //spec:openapi) or %s (a file path)", RlocationEnv, PathEnv)
}

// Read returns the contents of the spec file.
func Read() ([]byte, error) {
	p, err := Path()
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read spec: %w", err)
	}
	return b, nil
}
