package policy

import (
	"sort"

	"github.com/pfsense-mcp/pfsense-mcp/generator/internal/normalize"
	"github.com/pfsense-mcp/pfsense-mcp/internal/secretname"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
)

// NotSecret lists write-only fields that hold no secret, keyed "Model.field", with the reason.
// The REST API package marks every input it never returns as write_only, so the native schema
// flags the inputs of one-off actions along with passwords; these are stored nowhere, and the
// audit log must show them (which command ran, which service was stopped).
var NotSecret = map[string]string{
	"CommandPrompt.command":          "the command to run: an input of the action (Models/CommandPrompt.inc), audited",
	"Ping.host":                      "the host to ping: an input of the action (Models/Ping.inc)",
	"Ping.count":                     "how many pings: an input of the action (Models/Ping.inc)",
	"Ping.source_address":            "the source address of the pings: an input of the action (Models/Ping.inc)",
	"Service.action":                 "start, stop or restart: an input of the action (Models/Service.inc), audited",
	"SystemHalt.dry_run":             "a flag of the action (Models/SystemHalt.inc)",
	"SystemReboot.dry_run":           "a flag of the action (Models/SystemReboot.inc)",
	"RESTAPIVersion.install_version": "the version to install: an input of the update (Models/RESTAPIVersion.inc), audited",
}

// AlsoSecret lists fields the package flags neither sensitive nor write-only that carry
// secrets all the same, keyed "Model.field", with the reason.
var AlsoSecret = map[string]string{
	"OpenVPNClientExport.binary_data": "the exported configuration, archive or installer: every type bundles the user's private key and the server's TLS key (Models/OpenVPNClientExport.inc, the openvpn-client-export package's openvpn_client_export_*)",
}

// maxSecretDepth bounds the walk through nested models.
const maxSecretDepth = 5

// Secrets returns the secret fields of a model's objects as paths ("privatekey",
// "a_domainlist.cf_token"), sorted. A field is secret when the native schema flags it sensitive
// or write-only (unless NotSecret says otherwise); a spec without a native schema falls back to
// its writeOnly flags. Either way a field whose name looks like a secret's is secret too: a few
// credentials are flagged neither way (User.ipsecpsk; the key of POST /auth/key).
func Secrets(model string, s *normalize.Schema, nat *native.Schema) []string {
	seen := map[string]bool{}
	secretsBelow(model, s, nat, "", 0, seen)
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func secretsBelow(model string, s *normalize.Schema, nat *native.Schema, prefix string, depth int, out map[string]bool) {
	if s == nil || depth > maxSecretDepth {
		return
	}
	nm := nat.Model(model)
	for _, name := range s.PropertyNames() {
		p := s.Properties[name]
		path := prefix + name
		if isSecret(model, name, p, nm) {
			out[path] = true
			continue
		}
		obj := p
		if p.Items != nil {
			obj = p.Items
		}
		if obj.Properties != nil {
			child := obj.Ref
			if f := nm.Field(name); f != nil && f.NestedModel != "" {
				child = f.NestedModel
			}
			secretsBelow(child, obj, nat, path+".", depth+1, out)
		}
	}
}

func isSecret(model, field string, p *normalize.Schema, nm *native.Model) bool {
	if _, ok := NotSecret[model+"."+field]; ok {
		return false
	}
	if _, ok := AlsoSecret[model+"."+field]; ok {
		return true
	}
	if secretname.Is(field) {
		return true
	}
	if f := nm.Field(field); f != nil {
		return f.Secret()
	}
	return p.WriteOnly
}
