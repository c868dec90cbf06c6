// Package specfile finds the REST API's descriptions of itself (the OpenAPI spec, and the native
// schema and behaviour dump of the same version) for programs and tests that take them as Bazel
// data dependencies. A target passes their runfiles locations in the environment:
//
//	data = ["//spec:openapi", "//spec:native"],
//	env = {
//	    "PFSENSE_OPENAPI_SPEC_RLOCATION": "$(rlocationpath //spec:openapi)",
//	    "PFSENSE_NATIVE_SCHEMA_RLOCATION": "$(rlocationpath //spec:native)",
//	},
//
// Outside Bazel (plain `go test`), $PFSENSE_OPENAPI_SPEC names the spec file instead, and the
// native schema and behaviour dump are $PFSENSE_NATIVE_SCHEMA and $PFSENSE_BEHAVIOUR_DUMP, or
// else found beside the spec as the build finds them (pfrest/native-<version>.json).
package specfile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/bazelbuild/rules_go/go/runfiles"
)

// RlocationEnv carries the spec's runfiles location; see the package comment.
const RlocationEnv = "PFSENSE_OPENAPI_SPEC_RLOCATION"

// PathEnv names the spec file directly (absolute or relative to the working directory).
const PathEnv = "PFSENSE_OPENAPI_SPEC"

// Optional inputs: the native schema and the behaviour dump.
const (
	NativeRlocationEnv    = "PFSENSE_NATIVE_SCHEMA_RLOCATION"
	NativePathEnv         = "PFSENSE_NATIVE_SCHEMA"
	BehaviourRlocationEnv = "PFSENSE_BEHAVIOUR_DUMP_RLOCATION"
	BehaviourPathEnv      = "PFSENSE_BEHAVIOUR_DUMP"
)

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

// ReadNative returns the native schema of the spec's REST API version, or `{}` when there is
// none (native.Parse turns that into an empty schema).
func ReadNative() ([]byte, error) {
	return readOptional(NativeRlocationEnv, NativePathEnv, "native")
}

// ReadBehaviour returns the behaviour dump of the spec's REST API version, or `{}` when there
// is none.
func ReadBehaviour() ([]byte, error) {
	return readOptional(BehaviourRlocationEnv, BehaviourPathEnv, "behaviour")
}

func readOptional(rlocEnv, pathEnv, prefix string) ([]byte, error) {
	var p string
	switch {
	case os.Getenv(rlocEnv) != "":
		loc := os.Getenv(rlocEnv)
		var err error
		if p, err = runfiles.Rlocation(loc); err != nil {
			return nil, fmt.Errorf("find %s in runfiles: %w", loc, err)
		}
	case os.Getenv(pathEnv) != "":
		p = os.Getenv(pathEnv)
	default:
		p = besideSpec(prefix)
		if p == "" {
			return []byte("{}"), nil
		}
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	return b, nil
}

// besideSpec finds <prefix>-<version>.json where the build would: in pfrest/ next to the spec
// (../shared/openapi-spec.json -> ../shared/pfrest/native-v2.7.1.json) or in the spec's own
// directory (../shared/pfrest/openapi-v2.10.0.json -> ../shared/pfrest/native-v2.10.0.json).
// Only used outside Bazel, where no runfiles location is given.
func besideSpec(prefix string) string {
	if os.Getenv(RlocationEnv) != "" {
		return "" // under Bazel the build decides; no guessing.
	}
	spec := os.Getenv(PathEnv)
	if spec == "" {
		return ""
	}
	b, err := os.ReadFile(spec)
	if err != nil {
		return ""
	}
	var doc struct {
		Info struct {
			Version string `json:"version"`
		} `json:"info"`
	}
	if json.Unmarshal(b, &doc) != nil || doc.Info.Version == "" {
		return ""
	}
	name := prefix + "-" + doc.Info.Version + ".json"
	for _, dir := range []string{filepath.Join(filepath.Dir(spec), "pfrest"), filepath.Dir(spec)} {
		if st, err := os.Stat(filepath.Join(dir, name)); err == nil && !st.IsDir() {
			return filepath.Join(dir, name)
		}
	}
	return ""
}

// OtherVersionsRlocationsEnv carries the runfiles locations of //spec:other_versions, space
// separated: `"PFSENSE_OTHER_SPECS_RLOCATIONS": "$(rlocationpaths //spec:other_versions)"`.
const OtherVersionsRlocationsEnv = "PFSENSE_OTHER_SPECS_RLOCATIONS"

// Other is the OpenAPI spec of another REST API version than the build's.
type Other struct {
	Version string // info.version, e.g. v2.10.0.
	Path    string
}

// OtherVersions returns the specs of other REST API versions than the build's that the build
// found beside it (//spec:other_versions), sorted by version; none is not an error. Outside
// Bazel they are looked for as the build does, around $PFSENSE_OPENAPI_SPEC: openapi-spec.json
// and pfrest/openapi-*.json in its directory and in the one above.
func OtherVersions() ([]Other, error) {
	var paths []string
	if locs, ok := os.LookupEnv(OtherVersionsRlocationsEnv); ok {
		for _, loc := range strings.Fields(locs) {
			p, err := runfiles.Rlocation(loc)
			if err != nil {
				return nil, fmt.Errorf("find %s in runfiles: %w", loc, err)
			}
			paths = append(paths, p)
		}
	} else if spec := os.Getenv(PathEnv); spec != "" && os.Getenv(RlocationEnv) == "" {
		for _, dir := range []string{filepath.Dir(spec), filepath.Dir(filepath.Dir(spec))} {
			paths = append(paths, filepath.Join(dir, "openapi-spec.json"))
			more, _ := filepath.Glob(filepath.Join(dir, "pfrest", "openapi-*.json"))
			paths = append(paths, more...)
		}
	}
	own, err := Read()
	if err != nil {
		return nil, err
	}
	mine := versionOf(own)
	seen := map[string]bool{mine: true}
	var out []Other
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // a candidate that is not there.
		}
		v := versionOf(b)
		if v == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, Other{Version: v, Path: p})
	}
	sort.Slice(out, func(i, j int) bool { return CompareVersions(out[i].Version, out[j].Version) < 0 })
	return out, nil
}

// CompareVersions orders REST API versions (v2.7.1 < v2.10.0) by their numeric parts; -1, 0 or 1.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(strings.TrimPrefix(a, "v"), "."), strings.Split(strings.TrimPrefix(b, "v"), ".")
	for i := 0; i < len(pa) || i < len(pb); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return strings.Compare(a, b)
}

func versionOf(spec []byte) string {
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
