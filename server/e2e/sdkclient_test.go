package e2e_test

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bazelbuild/rules_go/go/runfiles"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/internal/buildinfo"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// sdkSession is what testdata/sdk_session.mjs prints.
type sdkSession struct {
	Server struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	} `json:"server"`
	Capabilities map[string]any `json:"capabilities"`
	Instructions string         `json:"instructions"`
	Pages        int            `json:"pages"`
	Tools        []string       `json:"tools"`
	Read         sdkResult      `json:"read"`
	Preview      sdkResult      `json:"preview"`
	BadArgs      sdkResult      `json:"badArgs"`
	UnknownTool  sdkResult      `json:"unknownTool"`
}

type sdkResult struct {
	IsError  bool   `json:"isError"`
	Text     string `json:"text"`
	RPCError bool   `json:"rpcError"` // a JSON-RPC error instead of a tool result
}

// sdkPageSize makes the server page tools/list, so that the client must follow nextCursor.
const sdkPageSize = 100

// The official MCP TypeScript SDK client (third_party/npm, exact version) runs a short session
// against the real server binary in demo mode, over stdio and over streamable HTTP: initialize,
// tools/list across pages, a read, a preview of a change, refused arguments, an unknown tool.
func TestTypeScriptSDKClient(t *testing.T) {
	node, mods, script, bin := sdkRunfiles(t)
	args := []string{"--demo", "--allow-writes", "--audit-log", "off", "--tools-page-size", strconv.Itoa(sdkPageSize)}
	want := expectedTools(t)

	for _, transport := range []string{"stdio", "http"} {
		t.Run(transport, func(t *testing.T) {
			env := append(os.Environ(), "SDK_NODE_MODULES="+mods, "MCP_TRANSPORT="+transport, "HOME="+t.TempDir())
			if transport == "stdio" {
				b, _ := json.Marshal(args)
				env = append(env, "SERVER_BIN="+bin, "SERVER_ARGS="+string(b))
			} else {
				url := startHTTPServer(t, bin, append(args, "--transport", "http", "--http-addr", "127.0.0.1:0"))
				env = append(env, "MCP_URL="+url)
			}
			s := runSDK(t, node, script, env)
			checkSession(t, s, want)
			// On both transports an unknown tool is a tool result the model can read, with the
			// inventory's explanation (mcpserver's callUnlisted), not a JSON-RPC error.
			if s.UnknownTool.RPCError || !s.UnknownTool.IsError || !strings.Contains(s.UnknownTool.Text, "there is no tool named pfsense_no_such_tool") {
				t.Errorf("unknown tool over %s: %+v", transport, s.UnknownTool)
			}
		})
	}
}

func checkSession(t *testing.T, s sdkSession, want []string) {
	t.Helper()
	if s.Server.Name != mcpserver.Name || s.Server.Version != buildinfo.Version() {
		t.Errorf("server = %+v, want %s %s", s.Server, mcpserver.Name, buildinfo.Version())
	}
	if _, ok := s.Capabilities["tools"]; !ok {
		t.Errorf("capabilities %v lack tools", s.Capabilities)
	}
	if !strings.Contains(s.Instructions, "pfsense_overview") {
		t.Errorf("instructions do not point to the overview: %q", s.Instructions)
	}
	wantPages := (len(want) + sdkPageSize - 1) / sdkPageSize
	if s.Pages != wantPages {
		t.Errorf("tools/list took %d pages, want %d (%d tools, %d per page)", s.Pages, wantPages, len(want), sdkPageSize)
	}
	got := slices.Clone(s.Tools)
	slices.Sort(got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the client saw %d tools, the server exposes %d; first differences: %s", len(got), len(want), firstDiff(got, want))
	}
	for name, r := range map[string]sdkResult{"read": s.Read, "preview": s.Preview, "refused arguments": s.BadArgs} {
		if r.RPCError {
			t.Errorf("%s: a JSON-RPC error instead of a tool result: %s", name, r.Text)
		}
	}
	if s.Read.IsError || !strings.Contains(s.Read.Text, `"data":[`) {
		t.Errorf("read: %+v", s.Read)
	}
	if s.Preview.IsError || !strings.Contains(s.Preview.Text, "preview") || !strings.Contains(s.Preview.Text, "sdk_test") {
		t.Errorf("preview: %+v", s.Preview)
	}
	if !s.BadArgs.IsError || !strings.Contains(s.BadArgs.Text, "limit") || !strings.Contains(s.BadArgs.Text, "nothing was sent") {
		t.Errorf("refused arguments: %+v", s.BadArgs)
	}
	if !s.UnknownTool.IsError || !strings.Contains(s.UnknownTool.Text, "pfsense_no_such_tool") {
		t.Errorf("unknown tool: %+v", s.UnknownTool)
	}
}

// expectedTools: what the server lists with writes on in full mode, from the same table.
func expectedTools(t *testing.T) []string {
	t.Helper()
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true})
	if err != nil {
		t.Fatal(err)
	}
	d := toolcall.New(toolcall.Options{Inventory: inv})
	var names []string
	for _, st := range mcpserver.Tools(d, mcpserver.Options{Mode: config.ModeFull, AllowWrites: true, SpecVersion: tooldefs.SpecVersion}) {
		names = append(names, st.Tool.Name)
	}
	slices.Sort(names)
	return names
}

func firstDiff(got, want []string) string {
	var out []string
	for _, n := range got {
		if !slices.Contains(want, n) {
			out = append(out, "+"+n)
		}
	}
	for _, n := range want {
		if !slices.Contains(got, n) {
			out = append(out, "-"+n)
		}
	}
	if len(out) > 10 {
		out = out[:10]
	}
	return strings.Join(out, " ")
}

func sdkRunfiles(t *testing.T) (node, mods, script, bin string) {
	t.Helper()
	r, err := runfiles.New()
	if err != nil {
		t.Fatal(err)
	}
	find := func(env string) string {
		loc := os.Getenv(env)
		if loc == "" {
			t.Fatalf("$%s is not set: run this test with bazel test (it needs the npm packages of third_party/npm)", env)
		}
		p, err := r.Rlocation(loc)
		if err != nil {
			t.Fatalf("%s: %v", env, err)
		}
		return p
	}
	marker := find("SDK_NODE_MODULES_MARKER_RLOCATION") // node_modules/.package-lock.json
	return find("NODE_RLOCATION"), filepath.Dir(marker), find("SDK_SESSION_RLOCATION"), find("PFSENSE_MCP_RLOCATION")
}

func runSDK(t *testing.T, node, script string, env []string) sdkSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node %s: %v\n%s", filepath.Base(script), err, stderr.String())
	}
	var s sdkSession
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("session output: %v\n%s\n%s", err, out, stderr.String())
	}
	return s
}

var servingURL = regexp.MustCompile(`url=(http://\S+/mcp)`)

// startHTTPServer runs the server binary on a free loopback port and returns its MCP URL.
func startHTTPServer(t *testing.T, bin string, args []string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case u := <-urls:
		return u
	case <-time.After(time.Minute):
		t.Fatal("the server did not say where it serves MCP within a minute")
		return ""
	}
}
