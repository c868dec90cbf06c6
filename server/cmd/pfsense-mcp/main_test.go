package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"

	"github.com/pfsense-mcp/pfsense-mcp/internal/lockedbuf"
)

// The test binary doubles as the server: run with runMainEnv set, it is pfsense-mcp, so the
// tests talk to the real main() in a child process over a real stdio pipe.
const runMainEnv = "PFSENSE_MCP_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(runMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serverEnv is a clean environment for the child: only what the test sets.
func serverEnv(kv ...string) []string {
	return append([]string{runMainEnv + "=1", "PATH=" + os.Getenv("PATH")}, kv...)
}

// session starts the server as a child process and returns an initialized MCP client and
// the child's stderr.
func session(t *testing.T, env []string, args ...string) (*client.Client, *lockedbuf.Buffer) {
	t.Helper()
	stderr := &lockedbuf.Buffer{} // mcp-go copies the server's stderr into it from its own goroutine
	tr := transport.NewStdioWithOptions(os.Args[0], env, args, transport.WithCommandStderrWriter(stderr))
	if err := tr.Start(context.Background()); err != nil {
		t.Fatalf("start server: %v", err)
	}
	c := client.NewClient(tr)
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "main_test", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatalf("initialize: %v (stderr: %s)", err, stderr.String())
	}
	if res.ServerInfo.Name != "pfsense-mcp" {
		t.Errorf("server name = %q", res.ServerInfo.Name)
	}
	return c, stderr
}

func callText(t *testing.T, c *client.Client, name string, args map[string]any) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var b strings.Builder
	for _, content := range res.Content {
		if tc, ok := content.(mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String(), res.IsError
}

func TestConfigurationErrorsAreOneLineAndExitNonZero(t *testing.T) {
	for _, tc := range []struct {
		env  []string
		want string
	}{
		// A key without a URL is half a configuration: an error, not the demo.
		{[]string{"PFSENSE_API_KEY=0123456789abcdef0123"}, "pfsense-mcp: PFSENSE_URL is not set: give the firewall as https://host[:port], or run with --demo to try the server against a built-in simulator\n"},
		{[]string{"PFSENSE_DEMO=false"}, "pfsense-mcp: PFSENSE_URL is not set: give the firewall as https://host[:port], or run with --demo"},
		{[]string{"PFSENSE_URL=https://fw", "PFSENSE_API_KEY=0123456789abcdef0123", "PFSENSE_MODULES=firewal"}, "pfsense-mcp: PFSENSE_MODULES: \"firewal\" is not a module; valid modules: "},
	} {
		cmd := exec.Command(os.Args[0])
		cmd.Env = serverEnv(append(tc.env, "PFSENSE_AUDIT_LOG=off")...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("env %v: exit = %v, want status 2", tc.env, err)
		}
		if !strings.HasPrefix(stderr.String(), tc.want) || strings.Count(stderr.String(), "\n") != 1 {
			t.Errorf("env %v: stderr = %q\nwant one line starting %q", tc.env, stderr.String(), tc.want)
		}
	}
}

// With nothing configured, the server serves the simulator as --demo does, and says so to the
// operator (its log) and to the model (its instructions), so nobody mistakes it for a firewall.
func TestNothingConfiguredServesTheSimulatorSayingSo(t *testing.T) {
	stderr := &lockedbuf.Buffer{}
	tr := transport.NewStdioWithOptions(os.Args[0], serverEnv("PFSENSE_AUDIT_LOG=off"), nil, transport.WithCommandStderrWriter(stderr))
	if err := tr.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	c := client.NewClient(tr)
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "main_test", Version: "1"}
	res, err := c.Initialize(ctx, init)
	if err != nil {
		t.Fatalf("initialize: %v (stderr: %s)", err, stderr.String())
	}
	if !strings.Contains(res.Instructions, "built-in pfSense simulator (demo mode), not to a real firewall") {
		t.Errorf("instructions do not say this is the simulator: %s", res.Instructions)
	}
	text, isErr := callText(t, c, "pfsense_get_system_version", nil)
	if isErr || !strings.Contains(text, `"version":"2.8.1-RELEASE"`) {
		t.Errorf("version = %s", text)
	}
	if got := stderr.String(); !strings.Contains(got, "no firewall is configured (PFSENSE_URL is not set): serving the built-in pfSense simulator") ||
		!strings.Contains(got, `firewall="demo simulator"`) {
		t.Errorf("stderr does not say the simulator is served: %s", got)
	}
}

func TestDemoServesTheSimulator(t *testing.T) {
	c, stderr := session(t, serverEnv("PFSENSE_AUDIT_LOG=off"), "--demo")
	list, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	for _, tool := range tooldefs.Tools {
		if !tool.Mutation {
			reads++
		}
	}
	if len(list.Tools) != reads+len(mcpserver.OwnTools()) {
		t.Errorf("demo lists %d tools, want %d reads + the server's own tools", len(list.Tools), reads)
	}
	text, isErr := callText(t, c, "pfsense_get_system_version", nil)
	if isErr || !strings.Contains(text, `"version":"2.8.1-RELEASE"`) {
		t.Errorf("version = %s", text)
	}
	if !strings.Contains(stderr.String(), `firewall="demo simulator"`) {
		t.Errorf("stderr = %s", stderr.String())
	}
}

// A whole session, reads and writes of every kind, must never show a secret: not those planted
// in the simulator, not those the client sends, not the API key; not in answers, logs or the
// audit log.
func TestWholeSessionLeaksNoSecret(t *testing.T) {
	const key = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e7"
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	auditPath := filepath.Join(t.TempDir(), "audit.jsonl")
	c, stderr := session(t, serverEnv(
		"PFSENSE_URL="+fw.URL, "PFSENSE_API_KEY="+key, "PFSENSE_TLS_FINGERPRINT="+fw.CertFingerprintSHA256,
		"PFSENSE_USERNAME=admin", "PFSENSE_PASSWORD=pfsense", "PFSENSE_ALLOW_WRITES=true", "PFSENSE_ALLOW_DANGEROUS=true",
		"PFSENSE_AUDIT_LOG="+auditPath, "PFSENSE_LOG_LEVEL=debug"))

	var outputs strings.Builder
	record := func(name string, args map[string]any) string {
		text, _ := callText(t, c, name, args)
		outputs.WriteString(text + "\n")
		return text
	}
	// confirmed previews a change and confirms it with the preview's token, as a client must.
	confirmed := func(name string, args map[string]any) string {
		preview := record(name, args)
		var p struct {
			Token string `json:"confirm_token"`
		}
		if json.Unmarshal([]byte(preview), &p) != nil || p.Token == "" {
			return preview
		}
		with := map[string]any{"confirm": p.Token}
		for k, v := range args {
			with[k] = v
		}
		return record(name, with)
	}
	// Every read, with sample arguments.
	for i := range tooldefs.Tools {
		tool := &tooldefs.Tools[i]
		if tool.Mutation || tool.Dangerous {
			continue
		}
		args, err := argsample.Sample(tool.InputSchema, argsample.Options{Values: argsample.IDs(tool.InputSchema)})
		if err != nil {
			t.Fatal(err)
		}
		record(tool.Name, args)
	}
	record("pfsense_overview", nil)
	// Secrets that the client sends, and the firewall stores and echoes.
	const userPassword = "client-sent-password-3141"
	const wgKey = "cClientSentWireGuardPrivateKeyAAAAAAAAAAAA="
	confirmed("pfsense_create_user", map[string]any{"name": "bt_secret_user", "password": userPassword})
	confirmed("pfsense_create_vpn_wireguard_tunnel", map[string]any{"name": "tun_wg9", "privatekey": wgKey})
	record("pfsense_list_vpn_wireguard_tunnels", nil)
	record("pfsense_list_users", nil)
	// Credentials the firewall creates: an API key and a JWT.
	if text := confirmed("pfsense_create_auth_key", map[string]any{"descr": "bt_key"}); !strings.Contains(text, `"key":"[REDACTED]"`) {
		t.Errorf("create key answer: %s", text)
	}
	if text := confirmed("pfsense_create_auth_jwt", map[string]any{}); !strings.Contains(text, `"token":"[REDACTED]"`) {
		t.Errorf("create JWT answer: %s", text)
	}
	// An error that echoes what was sent.
	confirmed("pfsense_create_user", map[string]any{"name": "bt_secret_user", "password": userPassword})

	c.Close()
	audit, err := os.ReadFile(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	secrets := append(fw.Sim.PlantedSecrets(), key, userPassword, wgKey, "pfsense")
	everything := map[string]string{"answers": outputs.String(), "stderr": stderr.String(), "audit log": string(audit)}
	for where, text := range everything {
		for _, s := range secrets {
			probe := s
			if len(probe) > 40 {
				probe = probe[:40] // PEM blocks: their first line is enough to spot a leak
			}
			if s == "pfsense" {
				if strings.Contains(text, `"password":"pfsense"`) || strings.Contains(text, ":pfsense@") {
					t.Errorf("the %s shows the BasicAuth password", where)
				}
				continue
			}
			if strings.Contains(text, probe) {
				t.Errorf("the %s contain a secret starting %.12q", where, probe)
			}
		}
	}
	if strings.Count(string(audit), "\n") < 5 || !strings.Contains(string(audit), `"password":"[REDACTED]"`) {
		t.Errorf("audit log = %s", audit)
	}
	if !strings.Contains(outputs.String(), "[REDACTED]") {
		t.Error("nothing was redacted: the session did not reach any secret, so the test proves nothing")
	}
}

// The tools listed over a real session are those of the generated table.
func TestEveryListedToolComesFromTheTable(t *testing.T) {
	c, _ := session(t, serverEnv("PFSENSE_AUDIT_LOG=off", "PFSENSE_ALLOW_WRITES=true", "PFSENSE_ALLOW_DANGEROUS=true"), "--demo")
	list, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*toolspec.Tool{}
	for i := range tooldefs.Tools {
		byName[tooldefs.Tools[i].Name] = &tooldefs.Tools[i]
	}
	for _, tool := range list.Tools {
		spec, ok := byName[tool.Name]
		if !ok {
			if !slices.Contains(mcpserver.OwnTools(), tool.Name) && !slices.Contains(mcpserver.OwnChangeTools(), tool.Name) {
				t.Errorf("unexpected tool %s", tool.Name)
			}
			continue
		}
		var want struct {
			Properties map[string]any `json:"properties"`
		}
		if err := json.Unmarshal([]byte(spec.InputSchema), &want); err != nil {
			t.Fatal(err)
		}
		if len(tool.InputSchema.Properties) != len(want.Properties) {
			t.Errorf("%s: lists %d properties, the table has %d", tool.Name, len(tool.InputSchema.Properties), len(want.Properties))
		}
		for p := range want.Properties {
			if _, ok := tool.InputSchema.Properties[p]; !ok {
				t.Errorf("%s: property %s is missing from the listed schema", tool.Name, p)
			}
		}
		if *tool.Annotations.ReadOnlyHint != spec.Annotations.ReadOnly || *tool.Annotations.DestructiveHint != spec.Annotations.Destructive {
			t.Errorf("%s: annotations differ from the table", tool.Name)
		}
	}
	if want := len(tooldefs.Tools) + len(mcpserver.OwnToolsFor(true)); len(list.Tools) != want {
		t.Errorf("listed %d tools with everything enabled, want the table's %d + the server's %d", len(list.Tools), len(tooldefs.Tools), len(mcpserver.OwnToolsFor(true)))
	}
}

// shutdownSlack multiplies the second the server has to end in (race_test.go raises it).
var shutdownSlack time.Duration = 1

// SIGTERM ends the server within a second with status 0, on stdio with stdin still open and on
// HTTP with an event stream open.
func TestSIGTERMEndsTheServerPromptly(t *testing.T) {
	for _, over := range []string{"stdio", "http"} {
		cmd := exec.Command(os.Args[0], "--demo")
		cmd.Env = serverEnv("PFSENSE_AUDIT_LOG=off")
		if over == "http" {
			cmd.Env = append(cmd.Env, "PFSENSE_TRANSPORT=http", "PFSENSE_HTTP_ADDR=127.0.0.1:0")
		}
		stdin, _ := cmd.StdinPipe()
		defer stdin.Close()
		stderr, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
					ready <- strings.Trim(m[1], `"`)
				} else if strings.Contains(sc.Text(), "pfsense-mcp starting") && over == "stdio" {
					ready <- ""
				}
			}
		}()
		var u string
		select {
		case u = <-ready:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
			t.Fatalf("%s: the server did not start", over)
		}
		if over == "http" {
			// Initialize, then hold an event stream open.
			req, _ := http.NewRequest("POST", u, strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			get, _ := http.NewRequest("GET", u, nil)
			get.Header.Set("Mcp-Session-Id", resp.Header.Get("Mcp-Session-Id"))
			get.Header.Set("Accept", "text/event-stream")
			stream, err := http.DefaultClient.Do(get)
			if err != nil || stream.StatusCode != 200 {
				t.Fatalf("event stream: %v %v", err, stream)
			}
			defer stream.Body.Close()
		}
		start := time.Now()
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if took := time.Since(start); err != nil || took > shutdownSlack*time.Second {
				t.Errorf("%s: exit after SIGTERM took %v: %v", over, took, err)
			}
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			t.Errorf("%s: still running 10 s after SIGTERM", over)
		}
	}
}
