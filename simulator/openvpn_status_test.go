package simulator_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

// TestAnOpenVPNServerUpdateRestartsItsClients checks the status after an update of a server:
// Models/OpenVPNServer.inc _update() ends in openvpn_resync(), which restarts the instance, so
// the connected road warrior alice reconnects (counters and connect time start again) while her
// certificate is signed by the server's CA, and cannot once the server uses another CA.
func TestAnOpenVPNServerUpdateRestartsItsClients(t *testing.T) {
	now := time.Date(2026, 6, 2, 12, 0, 0, 0, time.UTC)
	c := newClient(t, simulator.Options{Now: func() time.Time { return now }})
	conns := func() []map[string]any {
		t.Helper()
		r := c.ok("GET", "/api/v2/status/openvpn/servers", "")
		var servers []struct {
			Conns []map[string]any `json:"conns"`
		}
		if err := json.Unmarshal(r.env.Data, &servers); err != nil || len(servers) != 1 {
			t.Fatalf("servers: %v %s", err, r.env.Data)
		}
		return servers[0].Conns
	}
	if cs := conns(); len(cs) != 1 || cs[0]["common_name"] != "alice" || cs[0]["bytes_recv"] == float64(0) {
		t.Fatalf("seeded connections: %v", cs)
	}
	now = now.Add(time.Hour)
	c.ok("PATCH", "/api/v2/vpn/openvpn/server", `{"id":0,"description":"Road warriors (2026)"}`)
	cs := conns()
	if len(cs) != 1 || cs[0]["connect_time_unix"] != float64(now.Unix()) || cs[0]["bytes_recv"] != float64(0) {
		t.Fatalf("after a restart alice reconnects now: %v", cs)
	}
	ca := c.ok("POST", "/api/v2/system/certificate_authority/generate", `{"descr":"bt_other_ca","trust":true,"randomserial":true,"is_intermediate":false,"keytype":"RSA","keylen":2048,
		"digest_alg":"sha256","lifetime":3650,"dn_commonname":"bt-other-ca"}`)
	c.ok("PATCH", "/api/v2/vpn/openvpn/server", `{"id":0,"caref":"`+ca.field(t, "refid").(string)+`"}`)
	if cs := conns(); len(cs) != 0 {
		t.Errorf("alice's certificate is not signed by the new CA, yet she is connected: %v", cs)
	}
}
