// Package policy holds the safety decisions about operations: which change the firewall, which
// have dangerous effects (the risk table, risks.txt: whole operations, or arguments of them,
// that run code, open ways in, lock out, interrupt, expose or destroy in bulk), which fields
// hold secrets (secrets.go), which reach beyond the firewall, and the four MCP annotations that
// follow from those facts.
//
// Operations are named "METHOD path" (normalize.Operation.Key). Each table is short and
// reviewed by hand; the tests pin them against the spec and the native schema.
package policy

import (
	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

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
//
// dangerous says whether every call of the operation is dangerous (an unconditional risk).
func Annotations(kind toolspec.Kind, method, key string, dangerous bool) toolspec.Annotations {
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
		_, destructive := DestructiveActions[key]
		a.Destructive = dangerous || destructive
	}
	return a
}
