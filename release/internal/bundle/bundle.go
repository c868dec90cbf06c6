// Package bundle makes the MCP Bundle (.mcpb) that installs pfsense-mcp in Claude Desktop with
// one click: a zip with manifest.json at its root (MCPB manifest version 0.2, the version
// @anthropic-ai/mcpb gives new bundles), the server for every platform, and a launcher that
// picks the right one.
package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/release/internal/archive"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/usersettings"
)

// ManifestVersion is the MCPB manifest version the bundle declares.
const ManifestVersion = "0.2"

// Binary is the server built for one platform.
type Binary struct {
	OS, Arch string // GOOS and GOARCH: linux, darwin, windows; amd64, arm64
	Data     []byte
}

// Info describes the release the bundle belongs to.
type Info struct {
	Version    string // MODULE.bazel's version
	Repository string // https://github.com/OWNER/REPO
	License    []byte // the LICENSE file
	Notices    []byte // THIRD_PARTY_NOTICES.txt: the licenses of what the binaries link (none: left out)
	Binaries   []Binary
}

// unameNames are what `uname -s` and `uname -m` print on each platform: Linux calls 64-bit ARM
// aarch64 (arm64 on some distributions' kernels), macOS arm64.
var unameNames = map[string][]string{
	"linux_amd64": {"Linux/x86_64"}, "linux_arm64": {"Linux/aarch64", "Linux/arm64"},
	"darwin_amd64": {"Darwin/x86_64"}, "darwin_arm64": {"Darwin/arm64"},
}

// Launcher is the shell script that Unix hosts run: it starts the binary for the machine's OS
// and CPU, passing arguments, stdin and stdout through (exec), and explains when there is none.
func Launcher(bins []Binary) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("#!/bin/sh\n# Starts the pfsense-mcp built for this machine: the bundle carries one per platform.\n")
	b.WriteString("dir=$(dirname \"$0\")\ncase \"$(uname -s)/$(uname -m)\" in\n")
	for _, bin := range sorted(bins) {
		if bin.OS == "windows" {
			continue
		}
		pats := unameNames[bin.OS+"_"+bin.Arch]
		if pats == nil {
			return nil, fmt.Errorf("bundle: no uname names known for %s/%s", bin.OS, bin.Arch)
		}
		fmt.Fprintf(&b, "  %s) exec \"$dir/%s/pfsense-mcp\" \"$@\" ;;\n", strings.Join(pats, "|"), bin.OS+"_"+bin.Arch)
	}
	b.WriteString("esac\necho \"pfsense-mcp: this bundle has no server for $(uname -s) $(uname -m)\" >&2\nexit 1\n")
	return b.Bytes(), nil
}

func sorted(bins []Binary) []Binary {
	out := append([]Binary(nil), bins...)
	sort.Slice(out, func(i, j int) bool { return out[i].OS+"_"+out[i].Arch < out[j].OS+"_"+out[j].Arch })
	return out
}

// Manifest is the bundle's manifest.json.
func Manifest(info Info) ([]byte, error) {
	platforms := map[string]bool{}
	windows := false
	for _, bin := range info.Binaries {
		switch bin.OS {
		case "windows":
			if bin.Arch != "amd64" {
				return nil, fmt.Errorf("bundle: windows/%s: the bundle's one Windows entry point is for amd64", bin.Arch)
			}
			windows = true
			platforms["win32"] = true
		case "linux", "darwin":
			platforms[bin.OS] = true
		default:
			return nil, fmt.Errorf("bundle: %s is not a platform MCPB hosts run (darwin, win32, linux)", bin.OS)
		}
	}
	env := map[string]string{}
	config := map[string]any{}
	for _, s := range usersettings.Settings {
		env[s.Env] = "${user_config." + s.Key + "}"
		opt := map[string]any{"type": s.Type, "title": s.Title, "description": s.Description, "required": s.Required}
		if s.Sensitive {
			opt["sensitive"] = true
		}
		// Every optional setting has a default: a host substitutes only the settings it has a
		// value for and would pass "${user_config.x}" on literally otherwise.
		if !s.Required {
			switch s.Type {
			case "boolean":
				opt["default"] = s.Default == "true"
			default:
				opt["default"] = s.Default
			}
		}
		config[s.Key] = opt
	}
	mcpConfig := map[string]any{"command": "${__dirname}/server/pfsense-mcp", "args": []string{}, "env": env}
	if windows {
		// platform_overrides keys are Node's process.platform values.
		mcpConfig["platform_overrides"] = map[string]any{"win32": map[string]any{"command": "${__dirname}/server/pfsense-mcp.exe"}}
	}
	var plats []string
	for p := range platforms {
		plats = append(plats, p)
	}
	sort.Strings(plats)
	m := map[string]any{
		"manifest_version": ManifestVersion,
		"name":             "pfsense-mcp",
		"display_name":     "pfSense",
		"version":          info.Version,
		"description":      "Read and, when you allow it, change a pfSense firewall through its REST API v2.",
		"long_description": "One tool per pfSense REST API v2 operation, generated from the API's own OpenAPI spec. " +
			"Read-only unless you allow changes; every change is previewed and needs confirmation; keys, passwords and hashes are redacted; " +
			"every change attempt is written to an audit log. Needs the pfSense REST API package (pfrest.org) and an API key.",
		"author":          map[string]any{"name": "The pfsense-mcp authors", "url": info.Repository},
		"repository":      map[string]any{"type": "git", "url": info.Repository},
		"homepage":        info.Repository,
		"documentation":   info.Repository + "#readme",
		"support":         info.Repository + "/issues",
		"license":         "MIT",
		"keywords":        []string{"pfsense", "firewall", "network", "security", "rest-api"},
		"server":          map[string]any{"type": "binary", "entry_point": "server/pfsense-mcp", "mcp_config": mcpConfig},
		"tools_generated": true,
		"compatibility":   map[string]any{"platforms": plats},
		"user_config":     config,
	}
	// Text stays as written ("System > REST API"), not HTML-escaped: nobody embeds this in HTML.
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// Write returns the bundle: manifest, LICENSE (and the third-party notices), the launcher and
// every binary.
func Write(info Info) ([]byte, error) {
	manifest, err := Manifest(info)
	if err != nil {
		return nil, err
	}
	launcher, err := Launcher(info.Binaries)
	if err != nil {
		return nil, err
	}
	files := []archive.File{
		{Name: "manifest.json", Data: manifest},
		{Name: "LICENSE", Data: info.License},
		{Name: "server/pfsense-mcp", Executable: true, Data: launcher},
	}
	if len(info.Notices) > 0 {
		files = append(files, archive.File{Name: "THIRD_PARTY_NOTICES.txt", Data: info.Notices})
	}
	for _, bin := range info.Binaries {
		name := "server/" + bin.OS + "_" + bin.Arch + "/pfsense-mcp"
		if bin.OS == "windows" {
			name = "server/pfsense-mcp.exe"
		}
		files = append(files, archive.File{Name: name, Executable: true, Data: bin.Data})
	}
	var buf bytes.Buffer
	if err := archive.WriteFilesOnlyZip(&buf, files); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
