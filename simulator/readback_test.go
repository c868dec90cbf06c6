package simulator_test

import (
	"fmt"
	"strings"
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
	got := c.ok("GET", "/api/v2/services/ntp/time_server?id="+fmt.Sprint(id), "")
	same(t, "read noselect", got.field(t, "noselect"), nil)
	same(t, "read type", got.field(t, "type"), "pool")
	// A plain server keeps what it was given.
	r = c.ok("POST", "/api/v2/services/ntp/time_server", `{"timeserver":"ntp.bt.example","type":"server","noselect":true}`)
	got = c.ok("GET", "/api/v2/services/ntp/time_server?id="+fmt.Sprint(r.field(t, "id")), "")
	same(t, "read noselect of a server", got.field(t, "noselect"), true)
}

// TestAConditionOnAFieldTheModelLacksIsAServerError reproduces a package bug the real API
// answers with a 500: TrafficShaperLimiterQueue's ecn conditions name `sched`, a field of the
// limiter that the queue lacks (Models/TrafficShaperLimiterQueue.inc ecn), and Core/Field.inc
// are_conditions_met() throws once the `aqm` condition before it holds.
func TestAConditionOnAFieldTheModelLacksIsAServerError(t *testing.T) {
	c := newClient(t, simulator.Options{})
	lim := c.ok("POST", "/api/v2/firewall/traffic_shaper/limiter", `{"name":"bt_lim","aqm":"droptail","sched":"fifo","bandwidth":[{"bw":10,"bwscale":"Mb"}]}`)
	pid := fmt.Sprint(lim.field(t, "id"))
	c.ok("POST", "/api/v2/firewall/traffic_shaper/limiter/queue", `{"parent_id":`+pid+`,"name":"bt_q1","aqm":"droptail"}`)
	c.expect("POST", "/api/v2/firewall/traffic_shaper/limiter/queue", `{"parent_id":`+pid+`,"name":"bt_q2","aqm":"codel"}`,
		500, "FIELD_CONDITIONS_REQUIRE_NON_EXISTENT_MODEL_FIELD",
		"Field `ecn` contains a condition for field `sched` from \n                        its assigned Model `RESTAPI\\Models\\TrafficShaperLimiterQueue`, but `RESTAPI\\Models\\TrafficShaperLimiterQueue` has no such field. ")
}

// TestTimeZonesAreThoseOfTheTZDatabase checks SystemTimezone's choices: get_timezone_choices()
// is pfSense's system_get_timezone_list(), the files of /usr/share/zoneinfo
// (Models/SystemTimezone.inc; pfsense/pfsense src/etc/inc/system.inc).
func TestTimeZonesAreThoseOfTheTZDatabase(t *testing.T) {
	c := newClient(t, simulator.Options{})
	r := c.ok("PATCH", "/api/v2/system/timezone", `{"timezone":"America/Denver"}`)
	same(t, "timezone", r.field(t, "timezone"), "America/Denver")
	r = c.do("PATCH", "/api/v2/system/timezone", `{"timezone":"Mars/Base"}`)
	if r.code != 400 || r.env.ResponseID != "FIELD_INVALID_CHOICE" || !strings.Contains(r.env.Message, "America/New_York") {
		t.Errorf("Mars/Base: %d %s %.200s", r.code, r.env.ResponseID, r.env.Message)
	}
	c.ok("PATCH", "/api/v2/system/timezone", `{"timezone":"UTC"}`)
}
