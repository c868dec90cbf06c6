package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
	"github.com/pfsense-mcp/pfsense-mcp/internal/lockedbuf"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// planter writes a distinct secret into every sensitive and write-only field of every object
// of every model the simulator holds (adding an object where a model has none, and a child
// where a nested list is empty), through the simulator's state: the API would hide some of
// them, and the server must not rely on that.
type planter struct {
	nat     *native.Schema
	n       int
	secrets []string
	fields  map[string]bool // Model.field planted
}

func (p *planter) secret(model, field string, f *native.Field) any {
	p.n++
	p.fields[model+"."+field] = true
	if f.Type == "integer" {
		v := 7_310_000 + p.n*97 // distinct, and no other number in the seed looks like it
		p.secrets = append(p.secrets, fmt.Sprint(v))
		return v
	}
	s := fmt.Sprintf("PLANTED-%s-%s-%04d-z9Q", model, field, p.n)
	p.secrets = append(p.secrets, s)
	if f.Many {
		return []any{s}
	}
	return s
}

// plant fills the secrets of obj, a model's object, and of its nested objects.
func (p *planter) plant(model string, obj map[string]any, depth int) {
	m := p.nat.Model(model)
	if m == nil || depth > 4 {
		return
	}
	for _, f := range m.Fields {
		switch {
		case f.Secret():
			obj[f.Name] = p.secret(model, f.Name, f)
		case f.NestedModel != "" && p.hasSecrets(f.NestedModel, 0):
			list, _ := obj[f.Name].([]any)
			if len(list) == 0 {
				list = []any{map[string]any{}}
			}
			for _, e := range list {
				if child, ok := e.(map[string]any); ok {
					p.plant(f.NestedModel, child, depth+1)
				}
			}
			obj[f.Name] = list
		}
	}
}

func (p *planter) hasSecrets(model string, depth int) bool {
	m := p.nat.Model(model)
	if m == nil || depth > 4 {
		return false
	}
	for _, f := range m.Fields {
		if f.Secret() || f.NestedModel != "" && p.hasSecrets(f.NestedModel, depth+1) {
			return true
		}
	}
	return false
}

// plantSecrets plants into fw's state and returns the planted values and fields.
func plantSecrets(t *testing.T, sim *simulator.Simulator) *planter {
	t.Helper()
	b, err := specfile.ReadNative()
	if err != nil {
		t.Fatal(err)
	}
	nat, err := native.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if nat.Empty() {
		t.Skip("the build has no native schema for this spec: there are no facts about secret fields to plant by")
	}
	var buf bytes.Buffer
	if err := sim.Save(&buf); err != nil {
		t.Fatal(err)
	}
	var st map[string]json.RawMessage
	if err := json.Unmarshal(buf.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	var lists map[string][]map[string]any
	var singles map[string]map[string]any
	json.Unmarshal(st["lists"], &lists)
	json.Unmarshal(st["singles"], &singles)
	p := &planter{nat: nat, fields: map[string]bool{}}
	// Every model a read tool serves, top level (children live in their parent's fields).
	held := map[string]bool{}
	for i := range tooldefs.Tools {
		tl := &tooldefs.Tools[i]
		if !tl.Mutation && tl.Method == "GET" {
			if m := nat.Model(tl.Model); m != nil && m.ParentModel == "" {
				held[m.Class] = true
			}
		}
	}
	for model := range held {
		m := nat.Model(model)
		if !p.hasSecrets(model, 0) {
			continue
		}
		if m.Many {
			// The server's own key and the admin's password let the session in: plant into an
			// object of their own beside them.
			if len(lists[model]) == 0 || model == "RESTAPIKey" || model == "User" {
				lists[model] = append(lists[model], map[string]any{"name": "bt_planted", "descr": "bt_planted", "username": "bt_planted"})
				p.plant(model, lists[model][len(lists[model])-1], 0)
				continue
			}
			for _, obj := range lists[model] {
				p.plant(model, obj, 0)
			}
			continue
		}
		if singles[model] == nil {
			singles[model] = map[string]any{}
		}
		p.plant(model, singles[model], 0)
	}
	// A faithful simulator hides sensitive fields unless the API is told to expose them, as the
	// real one does: expose them, so that the server's own redaction is what is tested.
	if singles["RESTAPISettings"] != nil {
		singles["RESTAPISettings"]["expose_sensitive_fields"] = true
	}
	st["lists"], _ = json.Marshal(lists)
	st["singles"], _ = json.Marshal(singles)
	out, _ := json.Marshal(st)
	if err := sim.Load(bytes.NewReader(out)); err != nil {
		t.Fatal(err)
	}
	return p
}

// mcpSession is a server child process and a client connected over stdio or HTTP.
type mcpSession struct {
	c      *client.Client
	stderr *lockedbuf.Buffer
}

var servingURL = regexp.MustCompile(`serving MCP over streamable HTTP"? url=(\S+)`)

func startSession(t *testing.T, over string, env []string) *mcpSession {
	t.Helper()
	s := &mcpSession{stderr: &lockedbuf.Buffer{}}
	var tr transport.Interface
	switch over {
	case "stdio":
		st := transport.NewStdioWithOptions(os.Args[0], env, nil, transport.WithCommandStderrWriter(s.stderr))
		if err := st.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		tr = st
	case "http":
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(env, "PFSENSE_TRANSPORT=http", "PFSENSE_HTTP_ADDR=127.0.0.1:0")
		pipe, _ := cmd.StderrPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
		urlc := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(pipe)
			for sc.Scan() {
				s.stderr.Write(append(sc.Bytes(), '\n'))
				if m := servingURL.FindStringSubmatch(sc.Text()); m != nil {
					urlc <- strings.Trim(m[1], `"`)
				}
			}
		}()
		var u string
		select {
		case u = <-urlc:
		case <-time.After(30 * time.Second):
			t.Fatalf("the HTTP server did not start: %s", s.stderr.String())
		}
		ht, err := transport.NewStreamableHTTP(u)
		if err != nil {
			t.Fatal(err)
		}
		tr = ht
	}
	s.c = client.NewClient(tr)
	t.Cleanup(func() { s.c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := s.c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "secrets_test", Version: "1"}
	if _, err := s.c.Initialize(ctx, init); err != nil {
		t.Fatalf("%s: initialize: %v (%s)", over, err, s.stderr.String())
	}
	return s
}

func (s *mcpSession) call(t *testing.T, name string, args map[string]any) (string, bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := s.c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
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

// forms are the ways a secret may show up in text.
func forms(s string) []string {
	out := []string{s, url.QueryEscape(s), base64.StdEncoding.EncodeToString([]byte(s))}
	if j, _ := json.Marshal(s); len(j) > 2 {
		out = append(out, string(j[1:len(j)-1]), strings.ReplaceAll(string(j[1:len(j)-1]), "/", `\/`))
	}
	return out
}

// A distinct secret in every sensitive and write-only field of every model the simulator holds,
// read back through every path (get, list, filters, previews of update, replace and delete,
// the changes themselves, errors, the audit log, the debug log), over both transports: none
// may show.
func TestPlantedSecretsNeverLeave(t *testing.T) {
	for _, over := range []string{"stdio", "http"} {
		t.Run(over, func(t *testing.T) { plantedSecretsNeverLeave(t, over) })
	}
}

func plantedSecretsNeverLeave(t *testing.T, over string) {
	const key = "5ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e75ec7e7"
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	p := plantSecrets(t, fw.Sim)
	auditPath := filepath.Join(t.TempDir(), "audit.jsonl")
	s := startSession(t, over, serverEnv(
		"PFSENSE_URL="+fw.URL, "PFSENSE_API_KEY="+key, "PFSENSE_TLS_FINGERPRINT="+fw.CertFingerprintSHA256,
		"PFSENSE_USERNAME=admin", "PFSENSE_PASSWORD=pfsense", "PFSENSE_ALLOW_WRITES=true", "PFSENSE_ALLOW_DANGEROUS=true",
		"PFSENSE_CONFIRM=plain", "PFSENSE_LOCKOUT_GUARD=false", "PFSENSE_AUDIT_LOG="+auditPath, "PFSENSE_LOG_LEVEL=debug"))

	var outputs strings.Builder
	sent := 0
	var sentSecrets []string
	sendSecret := func(f string) string {
		sent++
		v := fmt.Sprintf("SENT-%s-%04d-k7W/+x", f, sent) // '/' and '+' change under URL and JSON escaping
		sentSecrets = append(sentSecrets, v)
		return v
	}
	record := func(name string, args map[string]any) string {
		text, _ := s.call(t, name, args)
		outputs.WriteString(name + ": " + text + "\n")
		return text
	}
	sample := func(tl *toolspec.Tool, values map[string]any) map[string]any {
		if values == nil {
			values = map[string]any{}
		}
		values["id"], values["parent_id"] = 0.0, 0.0
		args, err := argsample.Sample(tl.InputSchema, argsample.Options{Values: values})
		if err != nil {
			t.Fatalf("%s: %v", tl.Name, err)
		}
		return args
	}
	withSecrets := 0
	for i := range tooldefs.Tools {
		tl := &tooldefs.Tools[i]
		topSecrets := slices.DeleteFunc(slices.Clone(tl.Secrets), func(s string) bool { return strings.Contains(s, ".") })
		switch {
		case !tl.Mutation:
			text := record(tl.Name, sample(tl, nil))
			if len(topSecrets) > 0 && (tl.Kind == toolspec.KindList || tl.Kind == toolspec.KindGet) && (strings.Contains(text, `"data":{`) || strings.Contains(text, `"data":[{`)) {
				withSecrets++
				if !strings.Contains(text, `"secrets":{`) {
					t.Errorf("%s answered without saying which secrets it withholds: %.300s", tl.Name, text)
				}
			}
			// A filter on a secret, with a planted value as the filter: refused, and the value
			// is not echoed.
			if q, ok := tl.Param("query"); ok && q.In == toolspec.InQueryMap && len(topSecrets) > 0 && len(p.secrets) > 0 {
				f := topSecrets[0]
				text, isErr := s.call(t, tl.Name, map[string]any{"query": map[string]any{f + "__startswith": p.secrets[0]}})
				outputs.WriteString(tl.Name + " (filter): " + text + "\n")
				// A sensitive field is refused as a secret; a write-only one is no field of the answers.
				if !isErr || !strings.Contains(text, "filters on secrets are refused") && !strings.Contains(text, `"`+f+`" is not a field of`) {
					t.Errorf("%s: a filter on %s was not refused: %.200s", tl.Name, f, text)
				}
			}
		case tl.Kind == toolspec.KindUpdate || tl.Kind == toolspec.KindSettings:
			values := map[string]any{}
			for _, f := range topSecrets {
				if _, ok := tl.Param(f); ok {
					values[f] = sendSecret(f)
				}
			}
			args := sample(tl, values)
			record(tl.Name, args) // the preview: current object and changes
			if len(values) > 0 && !tl.Dangerous {
				args["confirm"] = true
				record(tl.Name, args) // the change itself, or pfSense's error about it
			}
		case tl.Kind == toolspec.KindReplace:
			values := map[string]any{}
			for _, f := range topSecrets {
				values[f] = sendSecret(f)
			}
			args := sample(tl, nil)
			if objs, ok := args["objects"].([]any); ok && len(objs) > 0 {
				if o, ok := objs[0].(map[string]any); ok {
					for k, v := range values {
						o[k] = v
					}
				}
			}
			record(tl.Name, args) // preview: every current object
		case tl.Kind == toolspec.KindDelete:
			args := sample(tl, nil)
			if q, ok := tl.Param("query"); ok && q.In == toolspec.InQueryMap {
				args["query"] = map[string]any{"id__gte": 0}
			}
			record(tl.Name, args) // preview: what would go
		case tl.Kind == toolspec.KindCreate:
			values := map[string]any{}
			for _, f := range topSecrets {
				if _, ok := tl.Param(f); ok {
					values[f] = sendSecret(f)
				}
			}
			if len(values) > 0 {
				record(tl.Name, sample(tl, values)) // preview, with the secrets sent
			}
		}
	}
	// The files pfSense writes from its configuration, read through the command prompt (the
	// operator allowed dangerous tools and plain confirmation): config.xml's elements,
	// swanctl.conf's base64 pre-shared key and wg(8)'s key lines come back without their secrets
	// and with the rest of the file.
	files := map[string]string{ // file: what of it must still show
		"/conf/config.xml":                      "bcrypt-hash",
		"/var/etc/ipsec/swanctl.conf":           "secret = [REDACTED]",
		"/usr/local/etc/wireguard/tun_wg0.conf": "PrivateKey = [REDACTED]",
	}
	for i := range tooldefs.Tools {
		tl := &tooldefs.Tools[i]
		if tl.Path != "/api/v2/diagnostics/command_prompt" || tl.Method != "POST" {
			continue
		}
		for f, want := range files {
			text := record(tl.Name, map[string]any{"command": "cat " + f, "confirm": true})
			if !strings.Contains(text, want) || !strings.Contains(text, `"result_code":0`) {
				t.Errorf("cat %s: the answer lacks %q: %.600s", f, want, text)
			}
		}
		files = nil
	}
	if files != nil {
		t.Error("no tool runs the command prompt")
	}
	s.c.Close()
	time.Sleep(100 * time.Millisecond)
	audit, err := os.ReadFile(auditPath)
	if err != nil {
		t.Fatal(err)
	}
	if withSecrets < 20 || sent < 20 || len(p.secrets) < 100 {
		t.Fatalf("the test reached too little: %d answers with secret fields, %d secrets sent, %d planted", withSecrets, sent, len(p.secrets))
	}
	all := append(append(append([]string{key}, p.secrets...), sentSecrets...), fw.Sim.PlantedSecrets()...)
	places := map[string]string{"answers": outputs.String(), "log": s.stderr.String(), "audit log": string(audit)}
	for where, text := range places {
		leaks := map[string]bool{}
		for _, secret := range all {
			for _, form := range forms(secret) {
				probe := form
				if len(probe) > 40 {
					probe = probe[:40] // PEM blocks: their first line is enough to spot a leak
				}
				if strings.Contains(text, probe) {
					leaks[secret[:min(len(secret), 40)]] = true
				}
			}
		}
		if len(leaks) > 0 {
			var l []string
			for k := range leaks {
				l = append(l, k)
			}
			sort.Strings(l)
			t.Errorf("the %s hold %d secrets: %q", where, len(l), l)
		}
	}
	if !strings.Contains(string(audit), "[REDACTED]") || !strings.Contains(outputs.String(), "[REDACTED]") {
		t.Error("nothing was redacted: the session did not reach any secret, so the test proves nothing")
	}
	t.Logf("%s: planted %d secrets in %d fields, sent %d; %d answers carried secret fields; %d bytes of answers, %d of log, %d of audit",
		over, len(p.secrets), len(p.fields), sent, withSecrets, outputs.Len(), len(s.stderr.String()), len(audit))
}
