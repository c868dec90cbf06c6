package probe_test

import (
	"context"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/tooldefs"
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/internal/packaged"
	"github.com/pfsense-mcp/pfsense-mcp/server/config"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/probe"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/simtest"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

const key = "9f0e9f0e9f0e9f0e9f0e9f0e9f0e9f0e9f0e9f0e9f0e9f0e"

func client(t *testing.T, fw *simtest.Firewall) *pfclient.Client {
	t.Helper()
	u, _ := url.Parse(fw.URL)
	pin, err := config.ParseFingerprint(fw.CertFingerprintSHA256)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := pfclient.NewTransport(pfclient.TLSOptions{Verify: true, Fingerprint: pin})
	if err != nil {
		t.Fatal(err)
	}
	c, err := pfclient.New(pfclient.Options{BaseURL: u, Mode: "key", APIKey: key, Transport: tr, Timeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestParseSpecAgreesWithTheTools: read with ParseSpec, the build's own spec knows every input of
// every generated tool and every field its filters may name. Otherwise a firewall of another
// version would see correct calls refused.
func TestParseSpecAgreesWithTheTools(t *testing.T) {
	b, err := specfile.Read()
	if err != nil {
		t.Fatal(err)
	}
	version, ops, err := probe.ParseSpec(b)
	if err != nil {
		t.Fatal(err)
	}
	if version != tooldefs.SpecVersion {
		t.Errorf("version = %s, want %s", version, tooldefs.SpecVersion)
	}
	if len(ops) != len(tooldefs.Tools) {
		t.Errorf("%d operations, want one per tool: %d", len(ops), len(tooldefs.Tools))
	}
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true, AllowDangerous: true})
	if err != nil {
		t.Fatal(err)
	}
	inv.SetFirewall(inventory.Firewall{Version: "v0-other", ToolsVersion: tooldefs.SpecVersion, Operations: ops})
	if n := len(inv.Exposed()); n != len(tooldefs.Tools) {
		t.Errorf("%d of %d tools exposed against their own spec", n, len(tooldefs.Tools))
	}
	for i := range tooldefs.Tools {
		tl := &tooldefs.Tools[i]
		if u := inv.UnknownInputs(tl); len(u) > 0 {
			t.Errorf("%s: inputs %v are not in its own spec's %s %s", tl.Name, u, tl.Method, tl.Path)
		}
		if !hasQueryMap(tl) {
			continue
		}
		op := ops[inventory.Key(tl)]
		for _, f := range tl.Fields {
			if !op.Fields[f] {
				t.Errorf("%s: field %s (filters name it) is not among the fields its own spec returns", tl.Name, f)
			}
		}
	}
}

func hasQueryMap(tl *toolspec.Tool) bool {
	for _, p := range tl.Params {
		if p.In == toolspec.InQueryMap {
			return true
		}
	}
	return false
}

// TestLearnTheSpecsVersion: a firewall of the tools' version is not asked for its spec, and its
// packages are read.
func TestLearnTheSpecsVersion(t *testing.T) {
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	f := probe.Learn(context.Background(), client(t, fw), tooldefs.SpecVersion, nil)
	if f.VersionErr != nil || f.PackagesErr != nil || f.SpecErr != nil {
		t.Fatalf("errors: %v, %v, %v", f.VersionErr, f.PackagesErr, f.SpecErr)
	}
	if f.Version != tooldefs.SpecVersion || f.Mismatch() || f.Operations != nil {
		t.Errorf("version %s (mismatch %v, spec read %v), want %s and no spec read", f.Version, f.Mismatch(), f.Operations != nil, tooldefs.SpecVersion)
	}
	if !sort.StringsAreSorted(f.Packages) || len(f.Packages) == 0 {
		t.Errorf("packages = %v", f.Packages)
	}
}

// TestMissingPackageHidesItsTools: remove a package on the simulator; the probe finds it missing
// and the inventory hides exactly the tools that need it, until it is installed again.
func TestMissingPackageHidesItsTools(t *testing.T) {
	pkg, names := packaged.MostNeeded(tooldefs.Tools, false)
	if pkg == "" {
		t.Skip("no tool of this spec needs a package")
	}
	needing := len(names)
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	c := client(t, fw)
	ctx := context.Background()
	if _, err := c.Do(ctx, pfclient.Request{Method: "DELETE", Path: "/api/v2/system/packages", Query: url.Values{"name": {pkg}}}); err != nil {
		t.Fatalf("remove %s: %v", pkg, err)
	}
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{AllowWrites: true, AllowDangerous: true})
	if err != nil {
		t.Fatal(err)
	}
	changes := 0
	p := probe.New(probe.Options{Firewall: c, Inventory: inv, ToolsVersion: tooldefs.SpecVersion, OnChange: func() { changes++ }})
	p.Start(ctx)
	p.Wait(ctx)
	for _, installed := range p.Facts().Packages {
		if installed == pkg {
			t.Fatalf("%s still listed as installed", pkg)
		}
	}
	if _, hidden := inv.FirewallHidden(); hidden < needing {
		t.Errorf("%d tools hidden for missing packages, want at least the %d that need %s", hidden, needing, pkg)
	}
	hiddenNow := map[string]bool{}
	for _, m := range inv.MissingPackages() {
		if m.Package == pkg {
			if len(m.Tools) != needing {
				t.Errorf("MissingPackages says %s would add %d tools, want %d", pkg, len(m.Tools), needing)
			}
			for _, n := range m.Tools {
				hiddenNow[n] = true
			}
		}
	}
	for _, tl := range tooldefs.Tools {
		_, err := inv.Lookup(tl.Name)
		needs := strings.Contains(strings.Join(tl.RequiredPackages, " "), pkg)
		if needs && (err == nil || !strings.Contains(err.Error(), "it needs the package "+pkg)) {
			t.Errorf("%s needs %s but Lookup says %v", tl.Name, pkg, err)
		}
		if needs != hiddenNow[tl.Name] {
			t.Errorf("%s: needs %s = %v, listed among the tools it would add = %v", tl.Name, pkg, needs, hiddenNow[tl.Name])
		}
	}
	if changes != 1 {
		t.Errorf("OnChange ran %d times, want 1", changes)
	}

	// Installed again (as pfsense_create_system_package would), a stale probe brings them back.
	body := map[string]any{"name": pkg}
	if _, err := c.Do(ctx, pfclient.Request{Method: http.MethodPost, Path: "/api/v2/system/package", Body: body}); err != nil {
		t.Fatalf("install %s: %v", pkg, err)
	}
	p.Stale()
	p.Wait(ctx)
	if _, hidden := inv.FirewallHidden(); hidden != 0 {
		t.Errorf("%d tools still hidden after installing %s", hidden, pkg)
	}
	if changes != 2 {
		t.Errorf("OnChange ran %d times, want 2", changes)
	}
}

// TestUnreachableFirewallIsProbedAgain: a firewall that does not answer leaves everything
// listed; the next Wait after RetryEvery probes again.
func TestUnreachableFirewallIsProbedAgain(t *testing.T) {
	fw := simtest.Start(t, simulator.Options{APIKey: key})
	c := client(t, fw)
	fw.Close()
	inv, err := inventory.New(tooldefs.Tools, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := len(inv.Exposed())
	p := probe.New(probe.Options{Firewall: c, Inventory: inv, ToolsVersion: tooldefs.SpecVersion, RetryEvery: time.Millisecond})
	ctx := context.Background()
	p.Start(ctx)
	p.Wait(ctx)
	f := p.Facts()
	if !f.Unreachable() {
		t.Fatalf("facts of a stopped firewall: version %q (%v), packages %v (%v)", f.Version, f.VersionErr, f.Packages, f.PackagesErr)
	}
	if len(inv.Exposed()) != before {
		t.Errorf("an unreachable firewall changed the exposed tools: %d -> %d", before, len(inv.Exposed()))
	}
	time.Sleep(5 * time.Millisecond)
	p.Wait(ctx)
	if p.Facts() == f {
		t.Errorf("Wait after RetryEvery did not probe again")
	}
}

// TestParseSpecRefusesWhatIsNotASpec: a firewall answering something else is reported, not
// trusted.
func TestParseSpecRefusesWhatIsNotASpec(t *testing.T) {
	for in, want := range map[string]string{
		"<html>":              "the firewall's spec is not JSON",
		`{"swagger":"2.0"}`:   "the firewall's spec is not an OpenAPI 3 document with paths",
		`{"openapi":"3.0.0"}`: "the firewall's spec is not an OpenAPI 3 document with paths",
		`{"openapi":"3.0.0","paths":{"/a":{"get":[]}}}`: "GET /a: json: cannot unmarshal array",
	} {
		_, _, err := probe.ParseSpec([]byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseSpec(%s) = %v, want %q...", in, err, want)
		}
	}
}
