package fwrules

import "testing"

func TestPorts(t *testing.T) {
	for _, tc := range []struct {
		a, b   string
		covers bool
		wider  bool
	}{
		{"", "443", true, true},
		{"any", "", true, false},
		{"443", "443", true, false},
		{"1:1024", "443", true, true},
		{"400-500", "443:450", true, true},
		{"443", "1:1024", false, false},
		{"web_ports", "web_ports", true, false},
		{"web_ports", "443", false, false},
		{"443", "", false, false},
	} {
		if got := CoversPorts(tc.a, tc.b); got != tc.covers {
			t.Errorf("CoversPorts(%q, %q) = %v", tc.a, tc.b, got)
		}
		if got := Wider(tc.a, tc.b); got != tc.wider {
			t.Errorf("Wider(%q, %q) = %v", tc.a, tc.b, got)
		}
	}
	if !PortCovers("51000:52000", 51820) || PortCovers("443", 51820) || !PortCovers("", 51820) || PortCovers("web_ports", 80) {
		t.Error("PortCovers")
	}
}

func TestShadows(t *testing.T) {
	pass := Rule{"type": "pass", "interface": []any{"wan"}, "ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "web_servers", "destination_port": "web_ports"}
	for _, tc := range []struct {
		name  string
		e, r  Rule
		iface string
		want  bool
	}{
		{"same match", pass, Rule{"type": "block", "ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "web_servers", "destination_port": "web_ports"}, "wan", true},
		{"a later rule with a narrower source", pass, Rule{"ipprotocol": "inet", "protocol": "tcp", "source": "bt_blocklist", "destination": "web_servers", "destination_port": "web_ports"}, "wan", true},
		{"an earlier rule with a narrower source", Rule{"interface": []any{"wan"}, "ipprotocol": "inet", "protocol": "tcp", "source": "bt_blocklist", "destination": "any"},
			Rule{"ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "any"}, "wan", false},
		{"any protocol later", Rule{"interface": []any{"wan"}, "ipprotocol": "inet46", "source": "any", "destination": "any"},
			Rule{"ipprotocol": "inet", "protocol": "udp", "source": "lan", "destination": "any", "destination_port": "53"}, "wan", true},
		{"other interface", pass, Rule{"ipprotocol": "inet", "protocol": "tcp", "source": "any", "destination": "web_servers", "destination_port": "web_ports"}, "lan", false},
		{"disabled", Rule{"interface": []any{"wan"}, "disabled": true}, Rule{}, "wan", false},
		{"floating", Rule{"interface": []any{"wan"}, "floating": true}, Rule{}, "wan", false},
		{"tcp/udp covers udp", Rule{"interface": "wan", "protocol": "tcp/udp", "source": "any", "destination": "any"}, Rule{"protocol": "udp", "source": "any", "destination": "any"}, "wan", true},
	} {
		if got := Shadows(tc.e, tc.r, tc.iface); got != tc.want {
			t.Errorf("%s: Shadows = %v, want %v", tc.name, got, tc.want)
		}
	}
}
