// Package releasetest checks what `bazel build //release` makes, as a user receives it: the
// archives (contents, binaries' headers, a session with the Linux binary, reproducibility),
// SHA256SUMS, server.json against the MCP registry's schema and rules, and every client setup
// in the README.
package releasetest

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"

	"github.com/pfsense-mcp/pfsense-mcp/release/internal/archive"
)

// The build passes its inputs as runfiles locations (BUILD.bazel); outside Bazel the same
// variables without _RLOCATION name files directly (the release files: a directory).
func rlocation(t *testing.T, env string) string {
	t.Helper()
	if loc := os.Getenv(env + "_RLOCATION"); loc != "" {
		p, err := runfiles.Rlocation(loc)
		if err != nil {
			t.Fatalf("%s: %v", env, err)
		}
		return p
	}
	if p := os.Getenv(env); p != "" {
		return p
	}
	t.Fatalf("set %s_RLOCATION (Bazel) or %s (a path)", env, env)
	return ""
}

func readFile(t *testing.T, env string) []byte {
	t.Helper()
	b, err := os.ReadFile(rlocation(t, env))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// releaseFiles maps each release file's name to its path.
func releaseFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	if locs := os.Getenv("RELEASE_FILES_RLOCATIONS"); locs != "" {
		for _, loc := range strings.Fields(locs) {
			p, err := runfiles.Rlocation(loc)
			if err != nil {
				t.Fatal(err)
			}
			out[filepath.Base(p)] = p
		}
		return out
	}
	dir := os.Getenv("RELEASE_DIR")
	if dir == "" {
		t.Fatal("set RELEASE_FILES_RLOCATIONS (Bazel) or RELEASE_DIR (e.g. bazel-bin/release)")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if releaseFile.MatchString(e.Name()) {
			out[e.Name()] = filepath.Join(dir, e.Name())
		}
	}
	return out
}

// releaseFile matches the names of release files (bazel-bin/release also holds the binaries).
var releaseFile = regexp.MustCompile(`^(pfsense-mcp_.*\.(tar\.gz|zip|mcpb)|SHA256SUMS|server\.json)$`)

// moduleVersion is MODULE.bazel's module version, which BUILD.bazel passes.
func moduleVersion(t *testing.T) string {
	t.Helper()
	v := os.Getenv("PFSENSE_MCP_MODULE_VERSION")
	if v == "" {
		t.Fatal("PFSENSE_MCP_MODULE_VERSION is not set (BUILD.bazel passes module_version())")
	}
	return v
}

// platform is one build the release covers.
type platform struct{ goos, goarch string }

func (p platform) String() string { return p.goos + "_" + p.goarch }

// wantPlatforms are the platforms the release must cover (issue 15: Linux, macOS, Windows).
var wantPlatforms = []platform{{"darwin", "amd64"}, {"darwin", "arm64"}, {"linux", "amd64"}, {"linux", "arm64"}, {"windows", "amd64"}}

func archiveName(version string, p platform) string {
	ext := ".tar.gz"
	if p.goos == "windows" {
		ext = ".zip"
	}
	return "pfsense-mcp_" + version + "_" + p.String() + ext
}

func binaryName(p platform) string {
	if p.goos == "windows" {
		return "pfsense-mcp.exe"
	}
	return "pfsense-mcp"
}

// readArchive lists a tar.gz, zip or mcpb in its own order.
func readArchive(t *testing.T, path string) []archive.Entry {
	t.Helper()
	entries, err := archive.Read(readPath(t, path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return entries
}

// member returns the data of the archive member called name.
func member(t *testing.T, entries []archive.Entry, name string) []byte {
	t.Helper()
	for _, e := range entries {
		if e.Name == name {
			return e.Data
		}
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name)
	}
	sort.Strings(names)
	t.Fatalf("no %s in the archive: it has %v", name, names)
	return nil
}

// extract writes the archive members to dir, with their modes.
func extract(t *testing.T, entries []archive.Entry, dir string) {
	t.Helper()
	for _, e := range entries {
		p := filepath.Join(dir, filepath.FromSlash(e.Name))
		if !strings.HasPrefix(p, filepath.Clean(dir)+string(filepath.Separator)) {
			t.Fatalf("member %q leaves the directory", e.Name)
		}
		if e.Mode.IsDir() {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, e.Data, e.Mode.Perm()); err != nil {
			t.Fatal(err)
		}
	}
}
