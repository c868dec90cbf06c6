package simulator_test

import (
	"fmt"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

// TestReadsConvertBooleansAsFromInternalDoes checks a boolean whose condition a custom validate
// method broke after the boolean was validated: NTPTimeServer validates noselect (condition
// `!type: pool`) while type is still `server`, then validate_type forces `pool` for a
// *pool.ntp.org name (Models/NTPTimeServer.inc), so the create answers noselect true; a read
// converts noselect after type (Core/Model.inc from_internal_object) and Core/Field.inc
// from_internal() makes a boolean whose conditions fail null.
func TestReadsConvertBooleansAsFromInternalDoes(t *testing.T) {
	c := newClient(t, simulator.Options{})
	r := c.ok("POST", "/api/v2/services/ntp/time_server", `{"timeserver":"0.bt.pool.ntp.org","type":"server","noselect":true}`)
	same(t, "created type", r.field(t, "type"), "pool")
	same(t, "created noselect", r.field(t, "noselect"), true)
	id := r.field(t, "id")
	got := c.ok("GET", "/api/v2/services/ntp/time_server?id="+fmtID(id), "")
	same(t, "read noselect", got.field(t, "noselect"), nil)
	same(t, "read type", got.field(t, "type"), "pool")
	// A plain server keeps what it was given.
	r = c.ok("POST", "/api/v2/services/ntp/time_server", `{"timeserver":"ntp.bt.example","type":"server","noselect":true}`)
	got = c.ok("GET", "/api/v2/services/ntp/time_server?id="+fmtID(r.field(t, "id")), "")
	same(t, "read noselect of a server", got.field(t, "noselect"), true)
}
