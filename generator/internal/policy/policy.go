// Package policy holds the safety decisions about operations: which change the firewall,
// which are dangerous enough to be left out unless the user opts in, which reach beyond the
// firewall, and the four MCP annotations that follow from those facts.
//
// Operations are named "METHOD path" (normalize.Operation.Key). Each table is short and
// reviewed by hand; the tests pin them against the v2.7.1 spec.
package policy

import (
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// Dangerous lists the operations a user must opt in to, with the reason shown to the user:
// they halt, reboot or run commands on the firewall, wipe tables or history, or move or lock
// the REST API this server talks to.
var Dangerous = map[string]string{
	"POST /api/v2/diagnostics/halt_system":                "Halts the firewall: it stays off, and the network with it, until someone powers it on by hand.",
	"POST /api/v2/diagnostics/reboot":                     "Reboots the firewall: every connection drops and the network is down until it is back up.",
	"POST /api/v2/diagnostics/command_prompt":             "Runs any shell command as root on the firewall, outside every check of this server.",
	"DELETE /api/v2/diagnostics/arp_table":                "Flushes ARP table entries, which interrupts traffic until the hosts are learned again.",
	"DELETE /api/v2/diagnostics/config_history/revisions": "Deletes configuration backups, which removes the ability to roll back to them.",
	"DELETE /api/v2/firewall/states":                      "Kills firewall states, dropping every matching connection (possibly this server's own).",
	"POST /api/v2/graphql":                                "Runs any GraphQL query or mutation, which can read and change anything outside this server's per-tool checks.",
	"PATCH /api/v2/system/webgui/settings":                "Changes the web GUI port or protocol, which moves the REST API itself and can cut this server off.",
	"PATCH /api/v2/system/restapi/settings":               "Changes REST API settings (enabled, authentication methods, allowed interfaces), which can lock this server out.",
	"PATCH /api/v2/system/restapi/version":                "Installs another REST API package version, replacing the API this server talks to.",
	"POST /api/v2/system/restapi/settings/sync":           "Pushes this firewall's REST API settings to its HA peers, which can lock them out as well.",
}

// OpenWorld lists the operations that reach hosts beyond the firewall itself.
var OpenWorld = map[string]string{
	"POST /api/v2/diagnostics/ping":                   "sends ICMP echo requests to any host",
	"POST /api/v2/diagnostics/command_prompt":         "a shell command can reach any host",
	"POST /api/v2/system/package":                     "downloads the package from the pfSense package servers",
	"PATCH /api/v2/system/restapi/version":            "downloads the chosen REST API release",
	"POST /api/v2/system/restapi/settings/sync":       "pushes settings to HA peer firewalls",
	"POST /api/v2/services/acme/account_key/register": "registers the key with the ACME server",
	"POST /api/v2/services/acme/certificate/issue":    "asks the ACME server (and DNS providers) for a certificate",
	"POST /api/v2/services/acme/certificate/renew":    "asks the ACME server (and DNS providers) for a certificate",
	"POST /api/v2/services/wake_on_lan/send":          "sends a magic packet to wake a host on the network",
}

// ReadOnlyPosts are POSTs that change nothing on the firewall.
var ReadOnlyPosts = map[string]string{
	"POST /api/v2/diagnostics/ping": "sends pings and reports the result; no configuration or state changes",
}

// DestructiveActions are the actions besides the dangerous ones that overwrite or stop
// something: a renewed certificate replaces the old one, a service can be stopped.
var DestructiveActions = map[string]string{
	"POST /api/v2/status/service":                     "can stop a running service",
	"POST /api/v2/system/certificate/renew":           "replaces the certificate with a renewed one",
	"POST /api/v2/system/certificate_authority/renew": "replaces the CA certificate with a renewed one",
}

// Mutation reports whether the operation changes the firewall: every method but GET, except
// the read-only POSTs.
func Mutation(method, key string) bool {
	if method == "GET" {
		return false
	}
	_, readOnly := ReadOnlyPosts[key]
	return !readOnly
}

// Annotations returns the MCP hints of an operation, all four set:
//   - readOnly: it is not a mutation.
//   - destructive: update, replace, delete, settings PATCH, dangerous and destructive actions.
//   - idempotent: reads, update, replace, settings PATCH and apply. Deletes are not: ids are
//     array indices that renumber after a delete, so the same call twice deletes two objects.
//   - openWorld: the operation is in OpenWorld.
func Annotations(kind toolspec.Kind, method, key string) toolspec.Annotations {
	_, open := OpenWorld[key]
	if !Mutation(method, key) {
		return toolspec.Annotations{ReadOnly: true, Destructive: false, Idempotent: true, OpenWorld: open}
	}
	a := toolspec.Annotations{OpenWorld: open}
	switch kind {
	case toolspec.KindUpdate, toolspec.KindReplace, toolspec.KindSettings:
		a.Destructive, a.Idempotent = true, true
	case toolspec.KindDelete:
		a.Destructive = true
	case toolspec.KindApply:
		a.Idempotent = true
	case toolspec.KindAction:
		_, dangerous := Dangerous[key]
		_, destructive := DestructiveActions[key]
		a.Destructive = dangerous || destructive
	}
	return a
}
