// Package fwrules reads firewall rules and port forwards as the REST API returns them
// (Models/FirewallRule.inc, Models/PortForward.inc) and answers what the lint and the security
// audit ask of them: which interfaces a rule is on, whether one rule's match covers another's,
// whether a port range covers a port. pfSense evaluates the rules of an interface in list
// order and the first match wins: non-floating rules are always quick (pfsense/pfsense
// src/etc/inc/filter.inc filter_generate_user_rule()).
package fwrules

import (
	"fmt"
	"strconv"
	"strings"
)

// Rule is one firewall rule or port forward, as decoded JSON.
type Rule map[string]any

// Str returns a string field ("" when absent or null).
func (r Rule) Str(k string) string {
	switch v := r[k].(type) {
	case string:
		return v
	case nil:
		return ""
	default:
		return fmt.Sprint(v)
	}
}

// Bool returns a boolean field.
func (r Rule) Bool(k string) bool { b, _ := r[k].(bool); return b }

// Interfaces returns the interfaces of a rule (a list for rules, a string for port forwards).
func (r Rule) Interfaces() []string {
	switch v := r["interface"].(type) {
	case string:
		if v != "" {
			return []string{v}
		}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return v
	}
	return nil
}

// On reports whether the rule is on interface iface.
func (r Rule) On(iface string) bool {
	for _, i := range r.Interfaces() {
		if i == iface {
			return true
		}
	}
	return false
}

// Active reports whether the rule is enabled.
func (r Rule) Active() bool { return !r.Bool("disabled") }

// Any reports whether an address or port value matches everything ("", null or any).
func Any(v string) bool { return v == "" || v == "any" }

// CoversAddress reports whether a rule address a matches everything address b does: any, or
// the same value.
func CoversAddress(a, b string) bool { return Any(a) || a == b }

// CoversProtocol reports whether protocol a matches everything protocol b does: any (null),
// the same, or tcp/udp for tcp and udp.
func CoversProtocol(a, b string) bool {
	switch {
	case Any(a), a == b:
		return true
	case a == "tcp/udp":
		return b == "tcp" || b == "udp"
	}
	return false
}

// CoversIPProtocol reports whether ipprotocol a (inet, inet6, inet46) matches all of b's.
func CoversIPProtocol(a, b string) bool { return a == b || a == "inet46" || a == "" }

// PortRange parses a port, a range "a:b" (or "a-b") or "" (any) into bounds; ok is false for
// what it cannot read (an alias name).
func PortRange(spec string) (lo, hi int, ok bool) {
	if Any(spec) {
		return 0, 65535, true
	}
	a, b, isRange := strings.Cut(strings.ReplaceAll(spec, "-", ":"), ":")
	lo, err1 := strconv.Atoi(a)
	if !isRange {
		return lo, lo, err1 == nil
	}
	hi, err2 := strconv.Atoi(b)
	return lo, hi, err1 == nil && err2 == nil && lo <= hi
}

// CoversPorts reports whether port spec a matches every port spec b does. An alias name is
// only known to cover itself.
func CoversPorts(a, b string) bool {
	if Any(a) || a == b {
		return true
	}
	alo, ahi, ok1 := PortRange(a)
	blo, bhi, ok2 := PortRange(b)
	return ok1 && ok2 && alo <= blo && bhi <= ahi
}

// PortCovers reports whether port spec can match port p.
func PortCovers(spec string, p int) bool {
	lo, hi, ok := PortRange(spec)
	return ok && lo <= p && p <= hi
}

// Wider reports whether port spec a matches ports that b does not (a is a strict superset).
func Wider(a, b string) bool { return CoversPorts(a, b) && !CoversPorts(b, a) }

// Shadows reports whether earlier rule e matches all traffic rule r matches on interface
// iface, so that r (later in the list) never decides anything there.
func Shadows(e, r Rule, iface string) bool {
	return e.Active() && !e.Bool("floating") && e.On(iface) &&
		CoversIPProtocol(e.Str("ipprotocol"), r.Str("ipprotocol")) &&
		CoversProtocol(e.Str("protocol"), r.Str("protocol")) &&
		CoversAddress(e.Str("source"), r.Str("source")) &&
		CoversAddress(e.Str("destination"), r.Str("destination")) &&
		CoversPorts(e.Str("source_port"), r.Str("source_port")) &&
		CoversPorts(e.Str("destination_port"), r.Str("destination_port"))
}

// ToFirewall reports whether a rule destination is the firewall itself on iface: (self), the
// interface's address (wan:ip), or anything.
func ToFirewall(dest, iface string) bool {
	return Any(dest) || dest == "(self)" || dest == iface+":ip" || dest == iface+"ip"
}

// List converts decoded JSON rows into rules.
func List(v any) []Rule {
	rows, _ := v.([]any)
	out := make([]Rule, 0, len(rows))
	for _, x := range rows {
		if m, ok := x.(map[string]any); ok {
			out = append(out, Rule(m))
		}
	}
	return out
}
