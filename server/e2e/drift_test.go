package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
	"github.com/pfsense-mcp/pfsense-mcp/internal/rawspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/probe"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// driftStack is the server's call path, with the start-up probe, against a simulator that
// serves spec (another REST API version than the tools').
type driftStack struct {
	rec    *recorder
	probe  *probe.Prober
	inv    *inventory.Inventory
	d      *toolcall.Dispatcher
	halted *atomic.Int32 // halts and reboots the simulator carried out.
}

func newDriftStack(t *testing.T, spec []byte) *driftStack {
	t.Helper()
	halted := &atomic.Int32{}
	// Everything exposed, dangerous operations included: the refusal must hold where nothing
	// else stands between the call and the firewall.
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true, AllowDangerous: true})
	if err != nil {
		t.Fatal(err)
	}
	_, rec, client := serveSimulator(t, simulator.Options{APIKey: apiKey, Spec: spec,
		OnHalt: func() { halted.Add(1) }, OnReboot: func() { halted.Add(1) }}, inv)
	p := probe.New(probe.Options{Firewall: client, Inventory: inv, ToolsVersion: tooldefs.SpecVersion})
	d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: client, Facts: p})
	p.Start(context.Background())
	return &driftStack{rec: rec, probe: p, inv: inv, d: d, halted: halted}
}

// callWith calls tool with its required arguments (sampled from its schema), extra and confirm.
func (s *driftStack) callWith(t *testing.T, tl *toolspec.Tool, extra map[string]any) toolcall.Result {
	t.Helper()
	args, err := argsample.Sample(tl.InputSchema, argsample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range extra {
		args[k] = v
	}
	if tl.Mutation {
		args[toolspec.ConfirmProperty] = true
	}
	return s.d.Call(context.Background(), tl.Name, args)
}

// sampleValue is a valid value of one input property of tl.
func sampleValue(t *testing.T, tl *toolspec.Tool, prop string) any {
	t.Helper()
	all, err := argsample.Sample(tl.InputSchema, argsample.Options{All: true})
	if err != nil {
		t.Fatal(err)
	}
	v, ok := all[prop]
	if !ok {
		t.Fatalf("%s has no input %s", tl.Name, prop)
	}
	return v
}

// TestFirewallOfAnotherVersion: the simulator serves the build's spec changed as a newer REST API
// version might change it: another version, one operation gone, one field of a model gone.
// The tool of the gone operation is hidden with the reason, a call sending the gone field is
// refused before anything is sent, and the same call without it goes through.
func TestFirewallOfAnotherVersion(t *testing.T) {
	b, err := specfile.Read()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // the spec's int64 bounds must survive the round trip.
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	doc["info"].(map[string]any)["version"] = tooldefs.SpecVersion + "-next"
	paths := doc["paths"].(map[string]any)
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)

	// The first plain list tool loses its operation; the first create tool with an optional
	// field of its model's own properties loses that field.
	var gone, create *toolspec.Tool
	var field string
	for i := range tooldefs.Tools {
		tl := &tooldefs.Tools[i]
		if len(tl.RequiredPackages) > 0 || tl.Dangerous || tl.BasicAuthOnly {
			continue
		}
		if gone == nil && tl.Kind == toolspec.KindList {
			gone = tl
		}
		if create == nil && tl.Kind == toolspec.KindCreate {
			props, _ := schemas[tl.Model].(map[string]any)["properties"].(map[string]any)
			required := map[string]bool{}
			var s struct{ Required []string }
			_ = json.Unmarshal([]byte(tl.InputSchema), &s)
			for _, r := range s.Required {
				required[r] = true
			}
			for _, p := range tl.Params {
				if _, ok := props[p.Name]; ok && p.In == toolspec.InBody && !required[p.Name] && p.Name != "parent_id" {
					create, field = tl, p.Name
					delete(props, p.Name)
					break
				}
			}
		}
	}
	if gone == nil || create == nil {
		t.Fatalf("the spec has no plain list tool (%v) or no create tool with an optional field (%v)", gone, create)
	}
	t.Logf("%s loses its operation; %s loses %s", gone.Name, create.Name, field)
	delete(paths[gone.Path].(map[string]any), strings.ToLower(gone.Method))
	spec, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	s := newDriftStack(t, spec)

	r := s.callWith(t, gone, nil)
	want := fmt.Sprintf("tool %s is not available: the firewall runs REST API %s-next, whose own spec has no %s %s; this tool comes from the %s spec",
		gone.Name, tooldefs.SpecVersion, gone.Method, gone.Path, tooldefs.SpecVersion)
	if !r.IsError || !strings.HasPrefix(r.Text, want) {
		t.Errorf("%s: %s\nwant %s...", gone.Name, r.Text, want)
	}
	s.rec.reset()
	r = s.callWith(t, create, map[string]any{field: sampleValue(t, create, field)})
	want = fmt.Sprintf("Invalid arguments for %s (checked locally; nothing was sent to pfSense): argument `%s` is refused: the firewall runs REST API %s-next, and its %s %s does not know it",
		create.Name, field, tooldefs.SpecVersion, create.Method, create.Path)
	if !r.IsError || !strings.HasPrefix(r.Text, want) {
		t.Errorf("%s with %s: %s\nwant %s...", create.Name, field, r.Text, want)
	}
	if m := s.rec.mutating(); len(m) != 0 {
		t.Errorf("a refused call sent %v", m)
	}
	preview, err := argsample.Sample(create.InputSchema, argsample.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r := s.d.Call(context.Background(), create.Name, preview); r.IsError {
		t.Errorf("%s without %s (a preview) was refused: %s", create.Name, field, r.Text)
	}
}

// TestFirewallOfARealOtherVersion: the simulator serves each other REST API version the build
// found (v2.10.0 beside v2.7.1, or the reverse). The tools of operations that version lacks are
// hidden, and every call sending a body field its model no longer has is refused: with v2.10.0,
// `dry_run` on halt and reboot, which that firewall would ignore and then really halt.
func TestFirewallOfARealOtherVersion(t *testing.T) {
	others, err := specfile.OtherVersions()
	if err != nil {
		t.Fatal(err)
	}
	if len(others) == 0 {
		t.Logf("the build found no spec of another REST API version beside %s (//spec:other_versions): TestFirewallOfAnotherVersion covers the path", tooldefs.SpecVersion)
		return
	}
	for _, other := range others {
		t.Run(other.Version, func(t *testing.T) {
			spec, err := os.ReadFile(other.Path)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := rawspec.Parse(spec)
			if err != nil {
				t.Fatal(err)
			}
			s := newDriftStack(t, spec)
			var lacking []string
			type refusal struct {
				tool  *toolspec.Tool
				field string
			}
			var refused []refusal
			for i := range tooldefs.Tools {
				tl := &tooldefs.Tools[i]
				op, ok := raw.Operations[tl.Method+" "+tl.Path]
				if !ok {
					lacking = append(lacking, tl.Name)
					continue
				}
				props, haveModel := raw.Models[tl.Model]
				for _, p := range tl.Params {
					switch {
					case p.Control:
						// A control of the REST API's core (the overlay): every version reads it.
					case p.In == toolspec.InQuery && !op.Query[p.Name]:
						refused = append(refused, refusal{tl, p.Name})
					case p.In == toolspec.InBody && haveModel && tl.Model != "" && !props[p.Name] && p.Name != "id" && p.Name != "parent_id":
						refused = append(refused, refusal{tl, p.Name})
					}
				}
			}
			sort.Strings(lacking)
			s.probe.Wait(context.Background())
			for _, name := range lacking {
				_, err := s.inv.Lookup(name)
				if err == nil || !strings.Contains(err.Error(), "the firewall runs REST API "+other.Version+", whose own spec has no ") {
					t.Errorf("%s is not in %s but Lookup says %v", name, other.Version, err)
				}
			}
			if got, _ := s.inv.FirewallHidden(); got != len(lacking) {
				t.Errorf("%d tools hidden as lacking, want %d: %v", got, len(lacking), lacking)
			}
			s.rec.reset()
			for _, x := range refused {
				r := s.callWith(t, x.tool, map[string]any{x.field: sampleValue(t, x.tool, x.field)})
				want := "argument `" + x.field + "` is refused: the firewall runs REST API " + other.Version
				if !r.IsError || !strings.Contains(r.Text, want) {
					t.Errorf("%s with %s on %s: %s\nwant ...%s...", x.tool.Name, x.field, other.Version, r.Text, want)
				}
			}
			if m := s.rec.mutating(); len(m) != 0 {
				t.Errorf("refused calls sent %v", m)
			}
			if n := s.halted.Load(); n != 0 {
				t.Errorf("the simulator halted or rebooted %d times", n)
			}
			t.Logf("%s: %d tools hidden as lacking, %d calls with fields it does not know refused", other.Version, len(lacking), len(refused))
		})
	}
}
