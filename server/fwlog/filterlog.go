package fwlog

import (
	"encoding/json"
	"regexp"
	"strings"
)

// Entry is one parsed filterlog line.
type Entry struct {
	Time      string      `json:"time"`                // as the syslog line gives it (RFC 3164 has no year).
	Interface string      `json:"interface,omitempty"` // the interface id (wan, lan, opt1) where known.
	Device    string      `json:"device"`              // the real interface (em0).
	Action    string      `json:"action"`              // pass, block or reject.
	Reason    string      `json:"reason,omitempty"`    // match, or why pf dropped it (bad-offset, ...).
	Direction string      `json:"direction"`           // in or out.
	IPVersion string      `json:"ip_version"`          // 4 or 6.
	Protocol  string      `json:"protocol"`            // tcp, udp, icmp, ...
	Source    string      `json:"source"`
	SrcPort   string      `json:"source_port,omitempty"`
	Dest      string      `json:"destination"`
	DstPort   string      `json:"destination_port,omitempty"`
	Length    string      `json:"length,omitempty"`
	TCPFlags  string      `json:"tcp_flags,omitempty"`
	ICMPType  string      `json:"icmp_type,omitempty"`
	Tracker   json.Number `json:"tracker,omitempty"` // the matching rule's tracker (ridentifier), a number as rules show it.
	Rule      any         `json:"rule,omitempty"`    // the rule looked up by tracker.
}

// The two syslog forms pfSense writes (its log settings choose): RFC 3164 ("Nov 21 09:14:02
// pfsense filterlog[5521]: ...") and RFC 5424 ("<134>1 2025-11-21T09:14:02.123+00:00 pfsense
// filterlog 5521 - - ..."), as pfsense/pfsense src/etc/inc/syslog.inc parse_firewall_log_line()
// matches them.
var (
	rfc5424 = regexp.MustCompile(`^<[0-9]{1,3}>[0-9]* (\S+?) (\S+?) filterlog \S+? \S+? \S+? (.*)$`)
	rfc3164 = regexp.MustCompile(`^(.*?)\s+(\S+)\s+filterlog\[[0-9]+\]:\s+(.*)$`)
)

// Parse reads one line of /var/log/filter.log; ok is false for lines that are not filterlog
// entries pfSense itself would show (the same checks as parse_firewall_log_line()).
//
// The CSV fields, in order (syslog.inc parse_firewall_log_line()): rule number, sub-rule,
// anchor, tracker, real interface, reason, action, direction, IP version; then for IPv4 tos,
// ecn, ttl, id, offset, flags, protocol id, protocol name; for IPv6 class, flow label, hop
// limit, protocol name, protocol id; then length, source, destination; for TCP, UDP and SCTP
// source port, destination port, data length, and for TCP flags, sequence, ack, window,
// urgent, options; for ICMP its type and details.
func Parse(line string) (Entry, bool) {
	var e Entry
	var csv string
	if strings.HasPrefix(line, "<") {
		m := rfc5424.FindStringSubmatch(line)
		if m == nil {
			return e, false
		}
		e.Time, csv = strings.Replace(m[1], "T", " ", 1), m[3]
	} else {
		m := rfc3164.FindStringSubmatch(line)
		if m == nil {
			return e, false
		}
		e.Time, csv = m[1], m[3]
	}
	f := strings.Split(csv, ",")
	at := 0
	next := func() string {
		if at >= len(f) {
			at++
			return ""
		}
		at++
		return f[at-1]
	}
	next() // rule number
	next() // sub-rule
	next() // anchor
	if t := next(); isDigits(t) {
		e.Tracker = json.Number(t)
	}
	e.Device = next()
	e.Reason = next()
	e.Action = next()
	e.Direction = next()
	e.IPVersion = next()
	var protoID string
	switch e.IPVersion {
	case "4", "6":
		if at < len(f) && strings.HasPrefix(f[at], "error=") {
			next() // a truncated packet
		}
		if e.IPVersion == "4" {
			next() // tos
			next() // ecn
			next() // ttl
			next() // id
			next() // offset
			next() // flags
			protoID = next()
			e.Protocol = strings.ToLower(next())
		} else {
			next() // class
			next() // flow label
			next() // hop limit
			e.Protocol = strings.ToLower(next())
			protoID = next()
		}
	default:
		return e, false
	}
	e.Length = next()
	e.Source = next()
	e.Dest = next()
	switch protoID {
	case "6", "17", "132":
		e.SrcPort = next()
		e.DstPort = next()
		next() // data length
		if protoID == "6" {
			e.TCPFlags = next()
		}
	case "1", "58":
		e.ICMPType = next()
	}
	if e.Source == "" || e.Dest == "" || strings.TrimSpace(e.Time) == "" {
		return e, false
	}
	return e, true
}

// isDigits reports whether s is a non-empty string of ASCII digits.
func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
