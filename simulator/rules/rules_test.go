package rules_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/rules"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// TestCommittedTableIsCurrent distils the build's behaviour dump and compares it with the
// committed table of its REST API version: a stale table fails with the command that fixes it.
func TestCommittedTableIsCurrent(t *testing.T) {
	dump, err := specfile.ReadBehaviour()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := specfile.Read()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Info struct {
			Version string `json:"version"`
		} `json:"info"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(bytes.TrimSpace(dump), []byte("{}")) {
		// A build without the dump cannot tell; the table of its version (if any) is used as is.
		t.Logf("no behaviour dump for %s in this build: nothing to compare", doc.Info.Version)
		return
	}
	want, err := rules.Distill(dump, doc.Info.Version)
	if err != nil {
		t.Fatal(err)
	}
	got := rules.Committed(doc.Info.Version)
	if got == nil {
		t.Fatalf("no committed table simulator/rules/%s.txt: run `tools/bazel run //simulator:update_rules`", doc.Info.Version)
	}
	if !bytes.Equal(got, want) {
		gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("simulator/rules/%s.txt is stale (first difference at line %d):\ncommitted: %s\ndump:      %s\nrun `tools/bazel run //simulator:update_rules` and review the diff",
					doc.Info.Version, i+1, g, w)
			}
		}
	}
}

// TestTablesParse reads every committed table and checks facts the simulator relies on.
func TestTablesParse(t *testing.T) {
	vs := rules.Versions()
	if len(vs) < 2 {
		t.Fatalf("committed tables: %v, want one per REST API version (v2.7.1, v2.10.0)", vs)
	}
	for _, v := range vs {
		tab, err := rules.For(v)
		if err != nil {
			t.Fatal(err)
		}
		if tab.Version != v {
			t.Errorf("%s.txt says version %q", v, tab.Version)
		}
		classes := map[string]int{}
		for _, m := range tab.Models {
			for _, f := range m.Fields {
				for _, val := range f.Validators {
					classes[val.Class]++
				}
			}
		}
		if len(classes) != 13 {
			t.Errorf("%s: %d validator classes %v, want the package's 13", v, len(classes), classes)
		}
		// Facts read off the package source (Models/FirewallAlias.inc, Models/UserGroup.inc,
		// Models/DHCPServerStaticMapping.inc, Models/PortForward.inc).
		if f := tab.Field("FirewallAlias", "name"); f == nil || len(f.Validators) == 0 || f.Validators[0].Class != "FilterNameValidator" {
			t.Errorf("%s: FirewallAlias.name validators = %+v, want FilterNameValidator first", v, f)
		}
		if g := tab.Models["UserGroup"]; g == nil || g.Protected["scope"] != "system" {
			t.Errorf("%s: UserGroup protected query = %+v, want scope=system", v, g)
		}
		if m := tab.Models["DHCPServerStaticMapping"]; m == nil || len(m.SortBy) != 1 || m.SortBy[0] != "ipaddr" || m.SortFlags != "SORT_NATURAL" {
			t.Errorf("%s: DHCPServerStaticMapping sort = %+v, want ipaddr SORT_NATURAL", v, m)
		}
		if f := tab.Field("PortForward", "associated_rule_id"); f == nil || f.Class != "ForeignModelField" {
			t.Errorf("%s: PortForward.associated_rule_id = %+v, want a ForeignModelField", v, f)
		}
	}
}
