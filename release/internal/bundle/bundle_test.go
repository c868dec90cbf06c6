package bundle

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/release/internal/usersettings"
)

var bins = []Binary{
	{OS: "windows", Arch: "amd64", Data: []byte("MZ")},
	{OS: "linux", Arch: "amd64", Data: []byte("elf-amd64")},
	{OS: "linux", Arch: "arm64", Data: []byte("elf-arm64")},
	{OS: "darwin", Arch: "amd64", Data: []byte("macho-amd64")},
	{OS: "darwin", Arch: "arm64", Data: []byte("macho-arm64")},
}

// The launcher runs the binary of the machine it is on, as uname names it, with the arguments
// it was given; on a machine the bundle has no binary for, it says so and fails.
func TestLauncherPicksTheMachinesBinary(t *testing.T) {
	dir := t.TempDir()
	launcher, err := Launcher(bins)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write("server/pfsense-mcp", string(launcher))
	for _, p := range []string{"linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64"} {
		write("server/"+p+"/pfsense-mcp", "#!/bin/sh\necho "+p+" \"$@\"\n")
	}
	write("bin/uname", "#!/bin/sh\ncase \"$1\" in -s) echo \"$FAKE_S\" ;; -m) echo \"$FAKE_M\" ;; esac\n")
	for _, tc := range []struct{ s, m, want string }{
		{"Linux", "x86_64", "linux_amd64 --demo x\n"},
		{"Linux", "aarch64", "linux_arm64 --demo x\n"},
		{"Linux", "arm64", "linux_arm64 --demo x\n"},
		{"Darwin", "arm64", "darwin_arm64 --demo x\n"},
		{"Darwin", "x86_64", "darwin_amd64 --demo x\n"},
		{"FreeBSD", "amd64", "pfsense-mcp: this bundle has no server for FreeBSD amd64\n"},
	} {
		cmd := exec.Command(filepath.Join(dir, "server/pfsense-mcp"), "--demo", "x")
		cmd.Env = []string{"PATH=" + filepath.Join(dir, "bin") + ":/usr/bin:/bin", "FAKE_S=" + tc.s, "FAKE_M=" + tc.m}
		out, err := cmd.CombinedOutput()
		if string(out) != tc.want || (err != nil) != strings.HasPrefix(tc.want, "pfsense-mcp:") {
			t.Errorf("%s/%s: %q (%v), want %q", tc.s, tc.m, out, err, tc.want)
		}
	}
}

func TestManifest(t *testing.T) {
	b, err := Manifest(Info{Version: "1.2.3", Repository: "https://github.com/acme/pfsense-mcp", Binaries: bins})
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		ManifestVersion string `json:"manifest_version"`
		Version         string
		Server          struct {
			Type       string `json:"type"`
			EntryPoint string `json:"entry_point"`
			MCPConfig  struct {
				Command           string
				Args              []string
				Env               map[string]string
				PlatformOverrides map[string]map[string]string `json:"platform_overrides"`
			} `json:"mcp_config"`
		}
		Compatibility struct{ Platforms []string }
		UserConfig    map[string]map[string]any `json:"user_config"`
	}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m.ManifestVersion != "0.2" || m.Version != "1.2.3" || m.Server.Type != "binary" || m.Server.EntryPoint != "server/pfsense-mcp" ||
		m.Server.MCPConfig.Command != "${__dirname}/server/pfsense-mcp" {
		t.Errorf("manifest = %+v", m)
	}
	if !reflect.DeepEqual(m.Server.MCPConfig.PlatformOverrides, map[string]map[string]string{"win32": {"command": "${__dirname}/server/pfsense-mcp.exe"}}) {
		t.Errorf("platform_overrides = %v", m.Server.MCPConfig.PlatformOverrides)
	}
	if !reflect.DeepEqual(m.Compatibility.Platforms, []string{"darwin", "linux", "win32"}) {
		t.Errorf("platforms = %v", m.Compatibility.Platforms)
	}
	if len(m.Server.MCPConfig.Env) != len(usersettings.Settings) || len(m.UserConfig) != len(usersettings.Settings) {
		t.Errorf("env %v, user_config %v: want one each per offered setting", m.Server.MCPConfig.Env, m.UserConfig)
	}
	for _, s := range usersettings.Settings {
		if got := m.Server.MCPConfig.Env[s.Env]; got != "${user_config."+s.Key+"}" {
			t.Errorf("env %s = %q", s.Env, got)
		}
	}
	wantKey := map[string]any{"type": "string", "title": "REST API key", "required": true, "sensitive": true,
		"description": usersettings.Settings[1].Description}
	if !reflect.DeepEqual(m.UserConfig["api_key"], wantKey) {
		t.Errorf("user_config.api_key = %v, want %v", m.UserConfig["api_key"], wantKey)
	}
	if m.UserConfig["allow_writes"]["default"] != false || m.UserConfig["tool_mode"]["default"] != "full" || m.UserConfig["modules"]["default"] != "" {
		t.Errorf("optional settings need their defaults: %v", m.UserConfig)
	}
	if _, err := Manifest(Info{Binaries: []Binary{{OS: "freebsd", Arch: "amd64"}}}); err == nil || err.Error() != "bundle: freebsd is not a platform MCPB hosts run (darwin, win32, linux)" {
		t.Errorf("freebsd: %v", err)
	}
}

func TestWriteLaysOutTheBundle(t *testing.T) {
	b, err := Write(Info{Version: "1.2.3", Repository: "https://github.com/acme/pfsense-mcp", License: []byte("MIT\n"), Binaries: bins})
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range zr.File {
		got = append(got, f.Name+" "+f.Mode().String())
	}
	want := []string{"LICENSE -rw-r--r--", "manifest.json -rw-r--r--", "server/darwin_amd64/pfsense-mcp -rwxr-xr-x", "server/darwin_arm64/pfsense-mcp -rwxr-xr-x",
		"server/linux_amd64/pfsense-mcp -rwxr-xr-x", "server/linux_arm64/pfsense-mcp -rwxr-xr-x", "server/pfsense-mcp -rwxr-xr-x", "server/pfsense-mcp.exe -rwxr-xr-x"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bundle files =\n%v\nwant\n%v", got, want)
	}
	again, _ := Write(Info{Version: "1.2.3", Repository: "https://github.com/acme/pfsense-mcp", License: []byte("MIT\n"), Binaries: append(bins[1:], bins[0])})
	if !bytes.Equal(b, again) {
		t.Error("the bundle depends on the order of its binaries")
	}
}
