// Package buildinfo says which release of pfsense-mcp a binary is: the one version string that
// --version, the MCP handshake and the release archives agree on.
package buildinfo

import "runtime/debug"

// version is MODULE.bazel's module version, written into the binary at link time by the Bazel
// build (x_defs in BUILD.bazel reads it with module_version()), so the version lives in one
// place and a release cannot forget to bump a second copy.
var version string

// Version is the server's version: MODULE.bazel's module version in a Bazel build; otherwise
// what the Go toolchain recorded (a pseudo-version when built from a git checkout), or "devel".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}
