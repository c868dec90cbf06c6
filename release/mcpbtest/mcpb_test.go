// Package mcpbtest validates the release's MCP Bundle with the bundle tool Claude Desktop's
// loader comes from (@anthropic-ai/mcpb, from npm, pinned by third_party/npm/package-lock.json): the tool
// unpacks it, validates its manifest, and computes the command it would run for a user's
// settings; that command then serves an MCP session against a simulated firewall.
package mcpbtest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/bazelbuild/rules_go/go/runfiles"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/release/internal/smoke"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
)

func rlocation(t *testing.T, env string) string {
	t.Helper()
	loc := os.Getenv(env + "_RLOCATION")
	if loc == "" {
		t.Fatalf("%s_RLOCATION is not set (BUILD.bazel passes it)", env)
	}
	p, err := runfiles.Rlocation(loc)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// validator is the installed bundle tool: node, and the package directory.
type validator struct {
	node, pkg string
}

// installedValidator finds the bundle tool of third_party/npm (Bazel fetched it, checked
// against the lockfile's integrity; a build without the npm registry fails before this runs).
func installedValidator(t *testing.T) validator {
	t.Helper()
	modules := filepath.Dir(rlocation(t, "NODE_MODULES_MARKER")) // node_modules/package-lock.json
	v := validator{node: rlocation(t, "NODE"), pkg: filepath.Join(modules, "@anthropic-ai", "mcpb")}
	var pkg struct{ Version string }
	pj, err := os.ReadFile(filepath.Join(v.pkg, "package.json"))
	if err != nil || json.Unmarshal(pj, &pkg) != nil {
		t.Fatalf("the installed @anthropic-ai/mcpb has no readable package.json: %v", err)
	}
	t.Logf("validating with @anthropic-ai/mcpb %s", pkg.Version)
	return v
}

// mcpb runs the tool's command line; it returns the output and whether it exited 0.
func (v validator) mcpb(t *testing.T, args ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command(v.node, append([]string{filepath.Join(v.pkg, "dist", "cli", "cli.js")}, args...)...)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// hostConfig asks the tool's own getMcpConfigForManifest (what a host such as Claude Desktop
// uses) which command, arguments and environment it would start for userConfig; null means it
// would not start the server.
func (v validator) hostConfig(t *testing.T, dir string, userConfig map[string]any) json.RawMessage {
	t.Helper()
	script := `
const { getMcpConfigForManifest } = await import(process.argv[1]);
const fs = await import("node:fs");
const manifest = JSON.parse(fs.readFileSync(process.argv[2] + "/manifest.json", "utf8"));
const config = await getMcpConfigForManifest({
  manifest, extensionPath: process.argv[2], systemDirs: {}, userConfig: JSON.parse(process.argv[3]), pathSeparator: "/",
});
process.stdout.write(JSON.stringify(config ?? null));
`
	uc, _ := json.Marshal(userConfig)
	cmd := exec.Command(v.node, "--input-type=module", "-e", script, filepath.Join(v.pkg, "dist", "index.js"), dir, string(uc))
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("getMcpConfigForManifest: %v\n%s", err, stderr.String())
	}
	return out
}

func TestBundleWithTheMCPBTool(t *testing.T) {
	v := installedValidator(t)
	bundle := rlocation(t, "MCPB")
	dir := t.TempDir()

	if out, ok := v.mcpb(t, "unpack", bundle, dir); !ok {
		t.Fatalf("mcpb unpack: %s", out)
	}
	if out, ok := v.mcpb(t, "validate", filepath.Join(dir, "manifest.json")); !ok || !strings.Contains(out, "Manifest schema validation passes!") {
		t.Fatalf("mcpb validate: %s", out)
	}
	if out, ok := v.mcpb(t, "info", bundle); !ok || !strings.Contains(out, "File: "+filepath.Base(bundle)) {
		t.Errorf("mcpb info: %s", out)
	}

	var manifest struct {
		UserConfig map[string]struct {
			Type      string `json:"type"`
			Required  bool   `json:"required"`
			Sensitive bool   `json:"sensitive"`
		} `json:"user_config"`
	}
	mb, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil || json.Unmarshal(mb, &manifest) != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if k := manifest.UserConfig["api_key"]; !k.Sensitive || !k.Required || k.Type != "string" {
		t.Errorf("user_config.api_key = %+v: the API key must be a required, sensitive setting", k)
	}

	// A host does not start the server before the required settings are given.
	if got := v.hostConfig(t, dir, map[string]any{"firewall_url": "https://192.168.1.1"}); string(got) != "null" {
		t.Errorf("without an API key the host would still start %s", got)
	}

	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skipf("the session below runs the bundle's Unix launcher; this host is %s", runtime.GOOS)
	}
	const key = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	raw := v.hostConfig(t, dir, map[string]any{"firewall_url": fw.URL, "api_key": key, "tls_fingerprint": fw.CertFingerprintSHA256})
	var cfg struct {
		Command string            `json:"command"`
		Args    []string          `json:"args"`
		Env     map[string]string `json:"env"`
	}
	if err := json.Unmarshal(raw, &cfg); err != nil {
		t.Fatalf("host config %s: %v", raw, err)
	}
	if cfg.Command != dir+"/server/pfsense-mcp" || len(cfg.Args) != 0 {
		t.Errorf("the host would run %s %v, want the bundle's launcher %s/server/pfsense-mcp", cfg.Command, cfg.Args, dir)
	}
	env := []string{"HOME=" + t.TempDir()}
	for k, val := range cfg.Env {
		if strings.Contains(val, "${") {
			t.Errorf("the host leaves %s=%q unsubstituted", k, val)
		}
		env = append(env, k+"="+val)
	}
	if cfg.Env["PFSENSE_API_KEY"] != key || cfg.Env["PFSENSE_URL"] != fw.URL || cfg.Env["PFSENSE_ALLOW_WRITES"] != "false" {
		t.Errorf("host env = %v", cfg.Env)
	}
	r, err := smoke.Run(smoke.Server{Command: cfg.Command, Args: cfg.Args, Env: env})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, tool := range tooldefs.Tools {
		if !tool.Mutation && !tool.Dangerous {
			reads++
		}
	}
	if r.ServerName != "pfsense-mcp" || len(r.Tools) != reads+len(mcpserver.OwnTools()) || slices.Contains(r.Tools, "pfsense_create_firewall_rule") {
		t.Errorf("session: %s with %d tools, want pfsense-mcp read-only with %d", r.ServerName, len(r.Tools), reads+len(mcpserver.OwnTools()))
	}
	if strings.Contains(r.Stderr, key) {
		t.Error("the server's log shows the API key")
	}
}

// The validator can fail: a manifest without its required author is refused.
func TestTheToolRefusesABrokenManifest(t *testing.T) {
	v := installedValidator(t)
	dir := t.TempDir()
	if out, ok := v.mcpb(t, "unpack", rlocation(t, "MCPB"), dir); !ok {
		t.Fatalf("mcpb unpack: %s", out)
	}
	var m map[string]any
	p := filepath.Join(dir, "manifest.json")
	b, _ := os.ReadFile(p)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	delete(m, "author")
	b, _ = json.Marshal(m)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, ok := v.mcpb(t, "validate", p); ok {
		t.Errorf("mcpb validate accepted a manifest without author: %s", out)
	}
}
