package overview

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

// routes answers GETs from a table of path -> data.
type routes map[string]string

func (r routes) Do(_ context.Context, req pfclient.Request) (*pfclient.Response, error) {
	if data, ok := r[req.Path]; ok {
		return &pfclient.Response{HTTPStatus: 200, Data: json.RawMessage(data), Date: time.Date(2026, 12, 2, 7, 30, 0, 0, time.UTC)}, nil
	}
	return nil, &pfclient.APIError{Method: req.Method, Path: req.Path, HTTPStatus: 500, ResponseID: "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", Message: "boom"}
}
func (routes) HasBasicAuth() bool { return false }

func dispatcher(t *testing.T, fw routes) *toolcall.Dispatcher {
	t.Helper()
	return dispatcherWrites(t, fw, true)
}

func dispatcherWrites(t *testing.T, fw routes, writes bool) *toolcall.Dispatcher {
	t.Helper()
	get := func(name, path string, kind toolspec.Kind) toolspec.Tool {
		return toolspec.Tool{Name: name, Method: "GET", Path: path, Kind: kind, Module: "status", InputSchema: `{"type":"object"}`}
	}
	tools := []toolspec.Tool{
		get("pfsense_get_system_version", "/api/v2/system/version", toolspec.KindStatus),
		get("pfsense_get_system_restapi_version", "/api/v2/system/restapi/version", toolspec.KindSettings),
		get("pfsense_get_status_system", "/api/v2/status/system", toolspec.KindStatus),
		get("pfsense_list_status_interfaces", "/api/v2/status/interfaces", toolspec.KindList),
		get("pfsense_list_status_gateways", "/api/v2/status/gateways", toolspec.KindList),
		get("pfsense_list_status_services", "/api/v2/status/services", toolspec.KindList),
		get("pfsense_get_firewall_apply_status", "/api/v2/firewall/apply", toolspec.KindApplyStatus),
		get("pfsense_get_routing_apply_status", "/api/v2/routing/apply", toolspec.KindApplyStatus),
		{Name: "pfsense_apply_firewall", Method: "POST", Path: "/api/v2/firewall/apply", Kind: toolspec.KindApply, Mutation: true, Module: "firewall", InputSchema: `{"type":"object"}`},
		{Name: "pfsense_apply_routing", Method: "POST", Path: "/api/v2/routing/apply", Kind: toolspec.KindApply, Mutation: true, Module: "routing", InputSchema: `{"type":"object"}`},
	}
	inv, err := inventory.New(tools, inventory.Options{AllowWrites: writes})
	if err != nil {
		t.Fatal(err)
	}
	return toolcall.New(toolcall.Options{Inventory: inv, Firewall: fw})
}

func TestVersionWarning(t *testing.T) {
	for cur, want := range map[string]string{
		"2.7.1":  "",
		"v2.7.1": "",
		"2.6.0":  "The firewall runs REST API 2.6.0 but these tools were generated from the v2.7.1 spec",
	} {
		d := dispatcher(t, routes{"/api/v2/system/restapi/version": `{"current_version":"` + cur + `"}`})
		got := VersionWarning(context.Background(), d, "v2.7.1")
		if (want == "") != (got == "") || !strings.HasPrefix(got, want) {
			t.Errorf("firewall %s: warning %q, want %q", cur, got, want)
		}
	}
	// An unreadable version is not a mismatch.
	if got := VersionWarning(context.Background(), dispatcher(t, routes{}), "v2.7.1"); got != "" {
		t.Errorf("unreadable version: %q", got)
	}
}

func TestPendingNamesSubsystemsAndApplyTools(t *testing.T) {
	d := dispatcher(t, routes{
		"/api/v2/firewall/apply": `{"applied":false,"pending_subsystems":["aliases"]}`,
		"/api/v2/routing/apply":  `{"applied":true}`,
	})
	got := Pending(context.Background(), d)
	b, _ := json.Marshal(got)
	want := `{"subsystems":{"firewall":{"applied":false,"apply_tool":"pfsense_apply_firewall","pending_subsystems":["aliases"]},"routing":{"applied":true,"apply_tool":"pfsense_apply_routing"}},"summary":"changes are waiting in: firewall (call the apply_tool of each)"}`
	if string(b) != want {
		t.Errorf("Pending =\n%s\nwant\n%s", b, want)
	}
	// Read-only, the apply tools are not listed: the answer names none of them.
	ro := dispatcherWrites(t, routes{
		"/api/v2/firewall/apply": `{"applied":false,"pending_subsystems":["aliases"]}`,
		"/api/v2/routing/apply":  `{"applied":true}`,
	}, false)
	b, _ = json.Marshal(Pending(context.Background(), ro))
	want = `{"subsystems":{"firewall":{"applied":false,"apply":"needs writes enabled (PFSENSE_ALLOW_WRITES=true)","pending_subsystems":["aliases"]},` +
		`"routing":{"applied":true,"apply":"needs writes enabled (PFSENSE_ALLOW_WRITES=true)"}},` +
		`"summary":"changes are waiting in: firewall (applying them needs writes enabled: PFSENSE_ALLOW_WRITES=true)"}`
	if string(b) != want {
		t.Errorf("read-only Pending =\n%s\nwant\n%s", b, want)
	}
}

func TestOverviewKeepsWhatWorksAndReportsWhatFails(t *testing.T) {
	d := dispatcher(t, routes{
		"/api/v2/system/version":         `{"version":"2.8.1-RELEASE","base":"2.8.1"}`,
		"/api/v2/status/system":          `{"uptime":"3 days","cpu_usage":4.5,"serial":"ABC123","bios_vendor":"SeaBIOS"}`,
		"/api/v2/status/interfaces":      `[{"name":"wan","status":"up","ipaddr":"10.0.2.15","inbytes":123,"macaddr":"52:54:00:00:00:01"}]`,
		"/api/v2/status/gateways":        `[{"name":"WAN_DHCP","status":"online","loss":0,"srcip":"10.0.2.15"}]`,
		"/api/v2/firewall/apply":         `{"applied":true}`,
		"/api/v2/routing/apply":          `{"applied":true}`,
		"/api/v2/system/restapi/version": `{"current_version":"2.7.1"}`,
	})
	got := Overview(context.Background(), d, "v2.7.1")
	b, _ := json.Marshal(got)
	for _, want := range []string{
		`"version":{"base":"2.8.1","version":"2.8.1-RELEASE"}`,
		`"restapi":{"current_version":"2.7.1","note":"versions of the REST API package; the REST API does not report pfSense's own updates"}`,
		`"firewall_clock":{"source":"the Date header of the firewall's answer (the REST API has no clock endpoint)","utc":"2026-12-02T07:30:00Z"}`,
		`"system":{"cpu_usage":4.5,"uptime":"3 days"}`,
		`"interfaces":[{"ipaddr":"10.0.2.15","name":"wan","status":"up"}]`,
		`"gateways":[{"loss":0,"name":"WAN_DHCP","status":"online"}]`,
		`"services":{"error":"pfSense rejected the request: pfSense answered HTTP 500 ENDPOINT_RECEIVED_UNEXPECTED_ERROR: boom [GET /api/v2/status/services]"}`,
		`"summary":"nothing is waiting to be applied"`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("overview lacks %s:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "version_warning") {
		t.Errorf("matching versions produced a warning: %s", b)
	}
}
