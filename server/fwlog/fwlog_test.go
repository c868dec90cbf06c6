package fwlog

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
	"github.com/pfsense-mcp/pfsense-mcp/server/inventory"
	"github.com/pfsense-mcp/pfsense-mcp/server/pfclient"
	"github.com/pfsense-mcp/pfsense-mcp/server/toolcall"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		line string
		want Entry
		ok   bool
	}{
		{"Nov 21 09:14:02 pfsense filterlog[5521]: 5,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,203.0.113.9,10.0.2.15,40122,22,0,S,1234,,64240,,mss;sackOK",
			Entry{Time: "Nov 21 09:14:02", Device: "em0", Action: "block", Reason: "match", Direction: "in", IPVersion: "4", Protocol: "tcp",
				Source: "203.0.113.9", SrcPort: "40122", Dest: "10.0.2.15", DstPort: "22", Length: "60", TCPFlags: "S", Tracker: "1000000103"}, true},
		{"Nov 21 09:20:00 pfsense filterlog[5521]: 80,,,1700000009,em1,match,pass,out,4,0x0,,63,4321,0,none,17,udp,76,192.168.1.10,198.51.100.53,5353,53,56",
			Entry{Time: "Nov 21 09:20:00", Device: "em1", Action: "pass", Reason: "match", Direction: "out", IPVersion: "4", Protocol: "udp",
				Source: "192.168.1.10", SrcPort: "5353", Dest: "198.51.100.53", DstPort: "53", Length: "76", Tracker: "1700000009"}, true},
		{"Nov 21 09:21:00 pfsense filterlog[5521]: 4,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,none,1,icmp,84,203.0.113.9,10.0.2.15,request,4242,1",
			Entry{Time: "Nov 21 09:21:00", Device: "em0", Action: "block", Reason: "match", Direction: "in", IPVersion: "4", Protocol: "icmp",
				Source: "203.0.113.9", Dest: "10.0.2.15", Length: "84", ICMPType: "request", Tracker: "1000000103"}, true},
		// IPv6 puts the protocol name before its number; RFC 5424 lines carry a full timestamp.
		{"<134>1 2025-11-21T09:22:33.123456+00:00 pfsense filterlog 5521 - - 7,,,1000000105,em0,match,block,in,6,0x00,0x00000,64,tcp,6,80,2001:db8::9,2001:db8::1,40000,443,0,S,1,,64800,,mss",
			Entry{Time: "2025-11-21 09:22:33.123456+00:00", Device: "em0", Action: "block", Reason: "match", Direction: "in", IPVersion: "6", Protocol: "tcp",
				Source: "2001:db8::9", SrcPort: "40000", Dest: "2001:db8::1", DstPort: "443", Length: "80", TCPFlags: "S", Tracker: "1000000105"}, true},
		{"Nov 21 08:00:01 pfsense syslogd: kernel boot file is /boot/kernel/kernel", Entry{}, false},
		{"Nov 21 08:00:01 pfsense filterlog[1]: 1,,,2,em0,match,pass,in,9,x", Entry{}, false},
	} {
		got, ok := Parse(tc.line)
		if ok != tc.ok || (ok && !reflect.DeepEqual(got, tc.want)) {
			t.Errorf("Parse(%q)\n got %+v, %v\nwant %+v, %v", tc.line, got, ok, tc.want, tc.ok)
		}
	}
}

// logFirewall serves a log of n lines (oldest first) as the REST API pages it: reverse before
// limit and offset when there is no query.
type logFirewall struct {
	lines []string
	reads []string
}

func (f *logFirewall) Do(_ context.Context, r pfclient.Request) (*pfclient.Response, error) {
	var data any
	switch r.Path {
	case logPath:
		f.reads = append(f.reads, r.Query.Encode())
		rows := make([]any, 0, len(f.lines))
		for _, l := range f.lines {
			rows = append(rows, map[string]any{"text": l})
		}
		if r.Query.Get("reverse") == "true" {
			for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
				rows[i], rows[j] = rows[j], rows[i]
			}
		}
		off, _ := strconv.Atoi(r.Query.Get("offset"))
		lim, _ := strconv.Atoi(r.Query.Get("limit"))
		rows = rows[min(off, len(rows)):]
		if lim > 0 {
			rows = rows[:min(lim, len(rows))]
		}
		data = rows
	case rulesPath:
		data = []any{
			map[string]any{"id": 0, "tracker": 1700000001, "type": "pass", "interface": []any{"lan"}, "descr": "Default allow LAN"},
			map[string]any{"id": 1, "tracker": 1700000002, "type": "pass", "interface": []any{"wan"}, "descr": "NAT Allow web to DMZ"},
		}
	case interfacesPath:
		data = []any{map[string]any{"id": "wan", "if": "em0", "descr": "WAN"}, map[string]any{"id": "lan", "if": "em1", "descr": "LAN"}}
	default:
		return nil, &pfclient.APIError{Method: r.Method, Path: r.Path, HTTPStatus: 404}
	}
	b, _ := json.Marshal(data)
	return &pfclient.Response{HTTPStatus: 200, Data: b}, nil
}
func (*logFirewall) HasBasicAuth() bool { return false }

func logDispatcher(t *testing.T, fw toolcall.Firewall) *toolcall.Dispatcher {
	t.Helper()
	obj := `{"type":"object"}`
	tools := []toolspec.Tool{
		{Name: "pfsense_list_status_logs_firewall", Kind: toolspec.KindList, Plural: true, Log: true, Module: "status", Method: "GET", Path: logPath, InputSchema: obj,
			Params: []toolspec.Param{{Name: "limit", In: toolspec.InQuery}, {Name: "offset", In: toolspec.InQuery}, {Name: "reverse", In: toolspec.InQuery}}},
		{Name: "pfsense_list_firewall_rules", Kind: toolspec.KindList, Plural: true, Module: "firewall", Method: "GET", Path: rulesPath, InputSchema: obj},
		{Name: "pfsense_list_network_interfaces", Kind: toolspec.KindList, Plural: true, Module: "interface", Method: "GET", Path: interfacesPath, InputSchema: obj},
	}
	inv, err := inventory.New(tools, inventory.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := toolcall.New(toolcall.Options{Inventory: inv, Firewall: fw})
	d.Register(Tool(d))
	return d
}

func line(i int, tracker, dev, action, src string, dport int) string {
	return fmt.Sprintf("Nov 21 10:%02d:%02d pfsense filterlog[1]: 5,,,%s,%s,match,%s,in,4,0x0,,64,0,0,DF,6,tcp,60,%s,10.0.2.15,40000,%d,0,S,1,,64240,,mss",
		i/60, i%60, tracker, dev, action, src, dport)
}

func call(t *testing.T, d *toolcall.Dispatcher, args map[string]any) map[string]any {
	t.Helper()
	r := d.Call(context.Background(), Name, args)
	if r.IsError {
		t.Fatalf("%v: %s", args, r.Text)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(r.Text), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestLastEntriesNewestFirstWithTheirRules(t *testing.T) {
	fw := &logFirewall{}
	for i := 0; i < 450; i++ {
		switch {
		case i%3 == 0:
			fw.lines = append(fw.lines, line(i, "1700000002", "em0", "pass", "203.0.113.5", 443))
		case i%3 == 1:
			fw.lines = append(fw.lines, line(i, "1000000103", "em0", "block", "203.0.113.9", 22))
		default:
			fw.lines = append(fw.lines, "Nov 21 10:00:00 pfsense kernel: not a filterlog line")
		}
	}
	d := logDispatcher(t, fw)
	out := call(t, d, map[string]any{"last": 2.0})
	entries := out["entries"].([]any)
	first := entries[0].(map[string]any)
	if len(entries) != 2 || first["time"] != "Nov 21 10:07:28" || first["interface"] != "wan" || first["action"] != "block" {
		t.Fatalf("last 2 = %v", entries)
	}
	if r := first["rule"].(map[string]any); r["generated_by_pfsense"] != true || r["tracker"] != 1000000103.0 || !strings.HasPrefix(fmt.Sprint(r["descr"]), "Default deny rule IPv4") {
		t.Errorf("a system tracker's rule = %v", r)
	}
	// Trackers are numbers, as the rules show them.
	if first["tracker"] != 1000000103.0 || entries[1].(map[string]any)["rule"].(map[string]any)["tracker"] != 1700000002.0 {
		t.Errorf("trackers = %v, %v", first["tracker"], entries[1])
	}
	second := entries[1].(map[string]any)
	if r := second["rule"].(map[string]any); r["descr"] != "NAT Allow web to DMZ" || r["id"] != 1.0 || second["destination_port"] != "443" {
		t.Errorf("second entry = %v", second)
	}
	// One page from the newest lines (a line more than the page, to learn whether more exist).
	if len(fw.reads) != 1 || fw.reads[0] != "limit=201&reverse=true" {
		t.Errorf("reads = %q, want one page of the newest lines", fw.reads)
	}

	// Filters, across pages: 150 pass lines in 450, found by paging back.
	out = call(t, d, map[string]any{"last": 200.0, "action": "pass", "interface": "WAN", "rule": "web to dmz", "address": "203.0.113.0/24"})
	if out["count"] != 150.0 || out["scanned_lines"] != 450.0 || out["unparsed_lines"] != 150.0 {
		t.Errorf("filtered = count %v, scanned %v, unparsed %v", out["count"], out["scanned_lines"], out["unparsed_lines"])
	}
	for _, e := range out["entries"].([]any) {
		if e.(map[string]any)["action"] != "pass" {
			t.Fatalf("a filtered entry does not match: %v", e)
		}
	}
	// The answer says which stretch of time it searched, and that it reached the log's start.
	if sp, _ := out["searched_span"].(map[string]any); sp["newest"] != "Nov 21 10:07:28" || sp["oldest"] != "Nov 21 10:00:00" || sp["whole_log"] != true {
		t.Errorf("searched_span = %v", out["searched_span"])
	}
	// A search that stops at scan says older lines were not searched.
	out = call(t, d, map[string]any{"last": 200.0, "port": 22.0, "scan": 30.0})
	if sp, _ := out["searched_span"].(map[string]any); out["count"] != 10.0 || !strings.Contains(fmt.Sprint(out["older_lines"]), "only the newest 30 lines were searched") || sp["whole_log"] != false {
		t.Errorf("scan 30: %v", out)
	}
	r := d.Call(context.Background(), Name, map[string]any{"source": "not-an-ip"})
	if !r.IsError || !strings.Contains(r.Text, "argument `source`: \"not-an-ip\" is not an IP address or subnet") {
		t.Errorf("bad source: %s", r.Text)
	}
}
