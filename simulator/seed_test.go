package simulator_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

// TestSeedValidates checks that the seed state is valid by the REST API's own rules: a PATCH
// that changes nothing succeeds on every seeded object of every model that can be updated
// (settings included). A seed that the real API would refuse to re-save makes every test
// that updates it fail for the wrong reason.
func TestSeedValidates(t *testing.T) {
	if nativeSchema(t).Empty() {
		t.Skip("no native schema in this build: the seed is checked against the package's rules only with one")
	}
	_, cat := loadSpec(t)
	sim, err := simulator.New(simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := sim.Handler()
	var failures []string
	checked := 0
	// Settings a new firewall leaves unconfigured, with fields the package requires: the real
	// API refuses an empty PATCH of them too.
	unconfigured := map[string]bool{"/api/v2/services/dhcp_relay": true, "/api/v2/services/bind/sync/settings": true}
	// WAN and LAN: their descr is the upper-case interface id, which pfSense's
	// get_pf_reserved() lists, so FilterNameValidator refuses to re-save them
	// (Models/NetworkInterface.inc descr; conformance case "interface descr WAN is reserved").
	reservedDescr := map[string]bool{`{"id":"wan"}`: true, `{"id":"lan"}`: true}
	for _, op := range cat.Ops {
		if op.Method != "PATCH" || strings.HasSuffix(op.Path, "/apply") {
			continue
		}
		var targets []map[string]any
		if op.HasParam("id") || (op.Body != nil && contains(op.Body.Required, "id")) {
			list := ""
			for _, o := range cat.Ops {
				if o.Model == op.Model && o.Method == "GET" && o.Plural {
					list = o.Path
				}
			}
			if list == "" {
				continue
			}
			code, raw := call(h, "GET", list, nil, nil)
			if code != 200 {
				continue
			}
			var env struct{ Data []map[string]any }
			json.Unmarshal(raw, &env)
			for _, o := range env.Data {
				b := map[string]any{"id": o["id"]}
				if pid, ok := o["parent_id"]; ok {
					b["parent_id"] = pid
				}
				targets = append(targets, b)
			}
		} else {
			targets = []map[string]any{{}}
		}
		for _, b := range targets {
			checked++
			code, raw := call(h, "PATCH", op.Path, nil, b)
			bb, _ := json.Marshal(b)
			if op.Path == "/api/v2/interface" && reservedDescr[string(bb)] && strings.Contains(string(raw), "FILTER_NAME_VALIDATOR_RESERVED_NAME_USED") {
				continue
			}
			if code != 200 && !unconfigured[op.Path] && !strings.Contains(string(raw), "MODEL_MISSING_REQUIRED_PACKAGE") {
				failures = append(failures, op.Path+" "+string(bb)+": "+string(raw))
			}
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("%d seeded objects re-saved", checked)
}
