package main

// Benchmarks behind the README's performance numbers. Run them with
//
//	tools/bazel run //server/cmd/pfsense-mcp:pfsense-mcp_test -- -test.run='^$' -test.bench=. -test.benchtime=20x
//
// Each reports its figure with b.ReportMetric, side by side with its baseline where there is one.

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/mcpserver"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/selfsigned"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
)

const benchKey = "be7cbe7cbe7cbe7cbe7cbe7cbe7cbe7cbe7cbe7cbe7cbe7c"

// childServer starts the server binary (this test binary in server mode) against fw with every
// tool enabled, speaking MCP over its stdin/stdout.
func childServer(b *testing.B, fw *simtest.Firewall) (*exec.Cmd, *client.Client) {
	b.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = serverEnv("PFSENSE_URL="+fw.URL, "PFSENSE_API_KEY="+benchKey, "PFSENSE_TLS_FINGERPRINT="+fw.CertFingerprintSHA256,
		"PFSENSE_ALLOW_WRITES=true", "PFSENSE_ALLOW_DANGEROUS=true", "PFSENSE_AUDIT_LOG=off", "PFSENSE_LOG_LEVEL=error")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	tr := transport.NewIO(stdout, stdin, io.NopCloser(strings.NewReader("")))
	if err := tr.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	return cmd, client.NewClient(tr)
}

func initialize(b *testing.B, c *client.Client) {
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "bench", Version: "1"}
	if _, err := c.Initialize(context.Background(), init); err != nil {
		b.Fatal(err)
	}
}

func stop(cmd *exec.Cmd, c *client.Client) {
	c.Close()
	cmd.Process.Kill()
	cmd.Wait()
}

// BenchmarkStartupToToolsList: process start until the first tools/list answer, every tool of
// the table (plus the server's own) enabled, with a client that sends initialize, initialized and
// tools/list at once, as MCP clients do. Target: under 50 ms. Side by side, the same against a
// firewall that takes 300 ms to answer each request: the start-up probe of the firewall (version,
// packages) runs in the background, so the first tools/list does not wait for it.
func BenchmarkStartupToToolsList(b *testing.B) {
	fw := simtest.Start(b, simulator.Options{APIKey: benchKey})
	slow := heldFirewall(b, simulator.Options{APIKey: benchKey}, func() { time.Sleep(300 * time.Millisecond) })
	var total, totalSlow time.Duration
	for i := 0; i < b.N; i++ {
		total += startToToolsList(b, fw.URL, fw.CertFingerprintSHA256)
		totalSlow += startToToolsList(b, slow.URL, slow.CertFingerprintSHA256)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(total), "ms/start-to-tools-list")
	b.ReportMetric(ms(totalSlow), "ms/start-to-tools-list-slow-firewall")
	b.ReportMetric(ms(totalSlow)/ms(total), "x-slow/fast")
}

// startToToolsList starts the server against a firewall and times the first tools/list answer.
func startToToolsList(b *testing.B, url, fingerprint string) time.Duration {
	const hello = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/list"}
`
	start := time.Now()
	cmd := exec.Command(os.Args[0])
	cmd.Env = serverEnv("PFSENSE_URL="+url, "PFSENSE_API_KEY="+benchKey, "PFSENSE_TLS_FINGERPRINT="+fingerprint,
		"PFSENSE_ALLOW_WRITES=true", "PFSENSE_ALLOW_DANGEROUS=true", "PFSENSE_AUDIT_LOG=off", "PFSENSE_LOG_LEVEL=error")
	cmd.Stdin = strings.NewReader(hello)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 4<<20), 16<<20)
	for sc.Scan() {
		// The clock stops when the answer has arrived; decoding it is the client's work.
		if !bytes.HasPrefix(sc.Bytes(), []byte(`{"jsonrpc":"2.0","id":2,`)) {
			continue
		}
		took := time.Since(start)
		var m struct {
			Result struct {
				Tools []json.RawMessage `json:"tools"`
			} `json:"result"`
		}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			b.Fatal(err)
		}
		if want := len(tooldefs.Tools) + len(mcpserver.OwnToolsFor(true)); len(m.Result.Tools) != want {
			b.Fatalf("tools/list listed %d tools, want %d", len(m.Result.Tools), want)
		}
		return took
	}
	b.Fatal("no tools/list answer")
	return 0
}

// heldFirewall is a simulator that calls hold before answering each request.
func heldFirewall(tb testing.TB, opts simulator.Options, hold func()) *simtest.Firewall {
	fw := simtest.Start(tb, opts)
	target, _ := url.Parse(fw.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: fw.CertPool}}
	proxy.ErrorLog = log.New(io.Discard, "", 0) // killed children cancel their requests.
	cert, err := selfsigned.New()
	if err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hold()
		proxy.ServeHTTP(w, r)
	}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert.TLS}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	tb.Cleanup(srv.Close)
	return &simtest.Firewall{URL: srv.URL, CertFingerprintSHA256: cert.FingerprintSHA256, Sim: fw.Sim, CertPool: fw.CertPool}
}

// BenchmarkResidentMemory: the server's resident set after tools/list and 200 calls. Target:
// under 50 MB.
func BenchmarkResidentMemory(b *testing.B) {
	fw := simtest.Start(b, simulator.Options{APIKey: benchKey})
	var rss, peak float64
	for i := 0; i < b.N; i++ {
		cmd, c := childServer(b, fw)
		initialize(b, c)
		if _, err := c.ListTools(context.Background(), mcp.ListToolsRequest{}); err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 200; j++ {
			name := []string{"pfsense_list_firewall_aliases", "pfsense_list_firewall_rules", "pfsense_overview", "pfsense_get_system_version"}[j%4]
			if _, err := c.CallTool(context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name}}); err != nil {
				b.Fatal(err)
			}
		}
		r, p := memoryMB(b, cmd.Process.Pid)
		rss += r
		peak += p
		stop(cmd, c)
	}
	b.ReportMetric(rss/float64(b.N), "MB-rss")
	b.ReportMetric(peak/float64(b.N), "MB-peak-rss")
}

// memoryMB reads VmRSS and VmHWM (peak) of a process from /proc.
func memoryMB(b *testing.B, pid int) (rss, peak float64) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(fields[1], 64)
		switch fields[0] {
		case "VmRSS:":
			rss = kb / 1024
		case "VmHWM:":
			peak = kb / 1024
		}
	}
	return rss, peak
}

// BenchmarkCallOverhead: one list call through the whole server path (validation, gates,
// client, paging, redaction) against the same request sent directly with net/http, both to
// the simulator over HTTPS. Target: overhead under 1 ms.
func BenchmarkCallOverhead(b *testing.B) {
	fw := simtest.Start(b, simulator.Options{APIKey: benchKey})
	u, _ := url.Parse(fw.URL)
	pin, _ := config.ParseFingerprint(fw.CertFingerprintSHA256)
	tr, _ := pfclient.NewTransport(pfclient.TLSOptions{Verify: true, Fingerprint: pin})
	inv, _ := inventory.New(tooldefs.Tools, inventory.Options{})
	fwClient, _ := pfclient.New(pfclient.Options{BaseURL: u, Mode: "key", APIKey: benchKey, Transport: tr})
	d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: fwClient})
	direct := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: certPool(fw)}}}

	ctx := context.Background()
	var directTime, serverTime time.Duration
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		req, _ := http.NewRequest("GET", fw.URL+"/api/v2/firewall/rules", nil)
		req.Header.Set("X-API-Key", benchKey)
		resp, err := direct.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		var env map[string]any
		json.NewDecoder(resp.Body).Decode(&env)
		resp.Body.Close()
		t1 := time.Now()
		if r := d.Call(ctx, "pfsense_list_firewall_rules", nil); r.IsError {
			b.Fatal(r.Text)
		}
		t2 := time.Now()
		directTime += t1.Sub(t0)
		serverTime += t2.Sub(t1)
	}
	n := float64(b.N)
	b.ReportMetric(float64(directTime.Microseconds())/n, "µs/direct-http")
	b.ReportMetric(float64(serverTime.Microseconds())/n, "µs/via-server")
	b.ReportMetric(float64((serverTime-directTime).Microseconds())/n, "µs/overhead")
}

func certPool(fw *simtest.Firewall) *x509.CertPool { return fw.CertPool }

// BenchmarkToolsListBytes: the size of the tools/list answer (what the tool definitions cost a
// model's context) in each mode, and with writes on per module, side by side; discovery mode
// as a share of full mode. The budgets are enforced by server/mcpserver's
// TestToolsListStaysWithinBudget.
func BenchmarkToolsListBytes(b *testing.B) {
	size := func(opts inventory.Options, mode config.ToolMode) float64 {
		inv, err := inventory.New(tooldefs.Tools, opts)
		if err != nil {
			b.Fatal(err)
		}
		d := toolcall.New(toolcall.Options{Inventory: inv})
		tools := mcpserver.Tools(d, mcpserver.Options{Mode: mode, AllowWrites: opts.AllowWrites, SpecVersion: tooldefs.SpecVersion})
		return float64(len(listJSON(b, tools)))
	}
	all := inventory.Options{AllowWrites: true, AllowDangerous: true}
	modes := []struct {
		name string
		opts inventory.Options
		mode config.ToolMode
	}{
		{"full", all, config.ModeFull},
		{"writes", inventory.Options{AllowWrites: true}, config.ModeFull},
		{"read-only", inventory.Options{}, config.ModeFull},
		{"discovery", all, config.ModeDiscovery},
		{"discovery-read-only", inventory.Options{}, config.ModeDiscovery},
	}
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{})
	if err != nil {
		b.Fatal(err)
	}
	modules := inv.ModuleNames()
	got := map[string]float64{}
	for i := 0; i < b.N; i++ {
		for _, m := range modes {
			got[m.name] = size(m.opts, m.mode)
		}
		for _, mod := range modules {
			got["module-"+mod] = size(inventory.Options{AllowWrites: true, AllowDangerous: true, Modules: []string{mod}}, config.ModeFull)
		}
	}
	var table strings.Builder
	fmt.Fprintf(&table, "tools/list bytes, spec %s:\n", tooldefs.SpecVersion)
	for _, m := range modes {
		b.ReportMetric(got[m.name], "bytes-"+m.name)
		fmt.Fprintf(&table, "  %-28s %9.0f  (%5.1f%% of full)\n", m.name, got[m.name], 100*got[m.name]/got["full"])
	}
	for _, mod := range modules {
		b.ReportMetric(got["module-"+mod], "bytes-module-"+mod)
		fmt.Fprintf(&table, "  %-28s %9.0f  (%5.1f%% of full)\n", "module "+mod, got["module-"+mod], 100*got["module-"+mod]/got["full"])
	}
	b.Log(table.String())
	b.ReportMetric(100*got["discovery"]/got["full"], "%-discovery-of-full")
	if got["discovery"]/got["full"] >= 0.03 {
		b.Errorf("discovery mode is %.1f%% of full mode, want under 3%%", 100*got["discovery"]/got["full"])
	}
}

// listJSON is the tools/list result as a client receives it.
func listJSON(b *testing.B, tools []server.ServerTool) []byte {
	list := make([]mcp.Tool, len(tools))
	for i, t := range tools {
		list[i] = t.Tool
	}
	out, err := json.Marshal(mcp.ListToolsResult{Tools: list})
	if err != nil {
		b.Fatal(err)
	}
	return out
}
