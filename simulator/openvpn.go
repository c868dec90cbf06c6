package simulator

import (
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// OpenVPN servers and clients (pfSense-pkg-RESTAPI v2.7.1 Models/OpenVPNServer.inc and
// Models/OpenVPNClient.inc, the same in v2.10.0), with the pfSense helpers they call
// (RELENG_2_7_2 src/etc/inc/openvpn.inc).

const (
	ovpnKeyPrefix = "-----BEGIN OpenVPN Static key V1-----"
	ovpnKeySuffix = "-----END OpenVPN Static key V1-----"
)

// ovpnHooks are the validate_<field> methods of the server (server) or the client.
func ovpnHooks(server bool) map[string]fieldHook {
	kind, id, name := "client", "OPENVPN_CLIENT_", "OpenVPNClient"
	if server {
		kind, id, name = "server", "OPENVPN_SERVER_", "OpenVPNServer"
	}
	h := map[string]fieldHook{
		// validate_disable: not while an interface is assigned to the tunnel (openvpn_inuse).
		"disable": func(vc *vctx, v any) (any, *apiError) {
			if toBool(v) && vc.sim.ovpnInUse(kind, vc.obj["vpnid"]) {
				return nil, errf(409, id+"CANNOT_BE_DISABLED_WHILE_IN_USE", "Field `disable` cannot be set to `true` while this %s is in use.", name)
			}
			return v, nil
		},
		// validate_interface: an IPv4 protocol needs an interface with an IPv4 address. The
		// IPv6 branch also asks get_current_ipv4 (the package's slip): an IPv6 protocol on an
		// interface without IPv4 is refused, one with IPv4 but no IPv6 passes.
		"interface": func(vc *vctx, v any) (any, *apiError) {
			_, has4 := vc.sim.interfaceIPv4(strval(v))
			switch vc.obj["protocol"] {
			case "UDP4", "TCP4":
				if !has4 {
					return nil, errf(400, id+"INTERFACE_HAS_NO_IPV4_ASSIGNMENT", "Field `interface` must be an interface with an IPv4 address while `protocol` is `UDP4` or `TCP4`.")
				}
			case "UDP6", "TCP6":
				if !has4 {
					return nil, errf(400, id+"INTERFACE_HAS_NO_IPV6_ASSIGNMENT", "Field `interface` must be an interface with an IPv6 address while `protocol` is `UDP6` or `TCP6`.")
				}
			}
			return v, nil
		},
		// validate_tls: the static key's armour. The server's check skips an empty key; the
		// client's does not.
		"tls": func(vc *vctx, v any) (any, *apiError) {
			s := strval(v)
			if (s != "" || !server) && !strings.Contains(s, ovpnKeyPrefix) && !strings.Contains(s, ovpnKeySuffix) {
				return nil, errf(400, id+"TLS_INVALID_KEY", "Field `tls` must be a valid OpenVPN TLS key.")
			}
			return v, nil
		},
		"tunnel_network":   ovpnTunnelNetwork,
		"tunnel_networkv6": ovpnTunnelNetwork,
	}
	if server {
		// validate_serverbridge_dhcp: not together with a tunnel network.
		h["serverbridge_dhcp"] = func(vc *vctx, v any) (any, *apiError) {
			if toBool(v) && strval(vc.obj["tunnel_network"]) != "" {
				return nil, errf(409, "OPENVPN_SERVER_BRIDGE_DHCP_CANNOT_BE_ENABLED_WITH_TUNNEL_NETWORK", "Field `serverbridge_dhcp` cannot be true while a `tunnel_network` is also assigned.")
			}
			return v, nil
		}
		// validate_serverbridge_dhcp_end: ip_greater_than(start, end) refuses it.
		h["serverbridge_dhcp_end"] = func(vc *vctx, v any) (any, *apiError) {
			if ip2ulong(strval(vc.obj["serverbridge_dhcp_start"])) > ip2ulong(strval(v)) {
				return nil, errf(400, "OPENVPN_SERVER_BRIDGE_DHCP_END_MUST_BE_IP_GREATER_THAN_DHCP_START", "Field `serverbridge_dhcp_end` must be an IPv4 address that is greater than `serverbridge_dhcp_start`.")
			}
			return v, nil
		}
	}
	return h
}

// ovpnTunnelNetwork is validate_tunnel_network(v6): openvpn_tunnel_network_fix, a subnet stored
// as its network address (10.1.2.3/24 becomes 10.1.2.0/24), anything else trimmed as given.
func ovpnTunnelNetwork(vc *vctx, v any) (any, *apiError) {
	s := strings.TrimSpace(strval(v))
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked().String(), nil
	}
	return s, nil
}

// ovpnInUse is openvpn_inuse: an assigned interface's device is ovpns<vpnid> or ovpnc<vpnid>.
func (sim *Simulator) ovpnInUse(kind string, vpnid any) bool {
	_, ok := sim.assignedTo(fmt.Sprintf("ovpn%c%d", kind[0], toInt(vpnid)))
	return ok && vpnid != nil
}

// ovpnExtra is validate_extra of the server (server) or the client: the plugin line built from
// the auth servers (openvpn_authscript_string) and the data-ciphers line each fit OpenVPN's
// 254 characters; a server in tap mode needs a tunnel network or a bridge interface; vpnif is
// ovpns<vpnid> or ovpnc<vpnid>.
func ovpnExtra(server bool) func(vc *vctx) *apiError {
	id, prefix := "OPENVPN_CLIENT_", "ovpnc"
	if server {
		id, prefix = "OPENVPN_SERVER_", "ovpns"
	}
	return func(vc *vctx) *apiError {
		if server {
			strict := "false"
			if toBool(vc.obj["strictusercn"]) {
				strict = "true"
			}
			line := "plugin /usr/local/lib/openvpn/plugins/openvpn-plugin-auth-script.so /usr/local/sbin/ovpn_auth_verify_async user " +
				base64.StdEncoding.EncodeToString([]byte(joinList(vc.obj["authmode"]))) + " " + strict + " " +
				strval(vc.obj["vpnid"]) + " " + strval(vc.obj["local_port"]) + "\n"
			if len(line) > 254 {
				return errf(400, "OPENVPN_SERVER_AUTHMODE_CONTAINS_TOO_MANY_CHARS_FOR_AUTHSCRIPT", "Field `authmode` has too many items or their names are too long. Either reduce the number of items or shorten the names of the corresponding authentication servers")
			}
		}
		if len("data-ciphers "+joinList(vc.obj["data_ciphers"])) > 254 {
			return errf(400, id+"DATA_CIPHERS_CONTAINS_TOO_MANY_CHARS", "Field `data_ciphers` has too many items. The sum of all item characters exceeds OpenVPN character limits.")
		}
		if server && vc.obj["dev_mode"] == "tap" && strval(vc.obj["tunnel_network"]) == "" &&
			strval(vc.obj["tunnel_networkv6"]) == "" && strval(vc.obj["serverbridge_interface"]) == "" {
			return errf(400, "OPENVPN_SERVER_TAP_MODE_REQUIRES_TUNNEL_NETWORK_OR_BRIDGE_INTERFACE", "A `tunnel_network`, `tunnel_networkv6` or `serverbridge_interface` value mst be provided if `mode` is set to `tap`.")
		}
		for _, p := range vc.s.Props {
			if p.Name == "vpnif" {
				vc.obj["vpnif"] = prefix + strval(vc.obj["vpnid"])
			}
		}
		return nil
	}
}

// ovpnDeleteGuard is the _delete of the server or client: not while it is in use.
func ovpnDeleteGuard(kind, name, id string) func(sim *Simulator, req *request, rw row) *apiError {
	return func(sim *Simulator, req *request, rw row) *apiError {
		if sim.ovpnInUse(kind, rw.obj["vpnid"]) {
			return errf(409, id, "%s cannot be deleted while it is in use.", name)
		}
		return nil
	}
}

// joinList is a many field's to_internal with the default delimiter (a comma).
func joinList(v any) string {
	var parts []string
	for _, it := range listOf(v) {
		parts = append(parts, strval(it))
	}
	return strings.Join(parts, ",")
}

// usetokenForbidden is OpenVPNClientExport::USETOKEN_FORBIDDEN_TYPES: the inline and
// phone-config exports, which cannot use a token.
var usetokenForbidden = map[string]bool{"confzip": true, "conf_yealink_t28": true, "conf_yealink_t38g": true, "conf_yealink_t38g2": true,
	"conf_snom": true, "confinline": true, "confinlinedroid": true, "confinlineconnect": true, "confinlinevisc": true}

// exportHooks are Models/OpenVPNClientExport.inc validate_server, validate_type and
// validate_certref: what the export needs from the server it is for.
var exportHooks = map[string]fieldHook{
	"server": func(vc *vctx, v any) (any, *apiError) {
		var srv map[string]any
		for _, s := range vc.sim.st.Lists["OpenVPNServer"] {
			if toInt(s["vpnid"]) == toInt(v) {
				srv = s
			}
		}
		if srv == nil {
			return v, nil // the foreign key check answers first
		}
		mode := strval(srv["mode"])
		if (mode == "server_tls" || mode == "server_tls_user") && !toBool(vc.obj["certref"]) {
			return nil, errf(400, "OPENVPN_CLIENT_EXPORT_CERTREF_REQUIRED", "Field 'certref' is required for OpenVPN server mode '%s'.", mode)
		}
		if am := listOf(srv["authmode"]); len(am) == 1 && am[0] == "Local Database" && !toBool(vc.obj["username"]) {
			return nil, errf(400, "OPENVPN_CLIENT_EXPORT_USERNAME_REQUIRED", "Field 'username' is required for OpenVPN server mode '%s' with authentication mode 'Local Database'.", mode)
		}
		return v, nil
	},
	"type": func(vc *vctx, v any) (any, *apiError) {
		if usetokenForbidden[strval(v)] && toBool(vc.obj["usetoken"]) {
			return nil, errf(409, "OPENVPN_CLIENT_EXPORT_TYPE_USETOKEN_NOT_ALLOWED", "Field 'usetoken' cannot be enabled for OpenVPN client export type '%s'.", strval(v))
		}
		return v, nil
	},
	"certref": func(vc *vctx, v any) (any, *apiError) {
		user := strval(vc.obj["username"])
		if user == "" {
			return v, nil
		}
		ref := strval(v)
		for _, u := range vc.sim.st.Lists["User"] {
			if u["name"] != user {
				continue
			}
			has := false
			for _, c := range listOf(u["cert"]) {
				has = has || c == ref
			}
			if !has {
				return nil, errf(404, "OPENVPN_CLIENT_EXPORT_USER_CERT_NOT_FOUND", "User '%s' is not assigned a certificate with reference ID '%s'.", user, ref)
			}
		}
		// The package's condition: no key is refused unless both usepkcs11 and usetoken are set.
		for _, c := range vc.sim.st.Lists["Certificate"] {
			if c["refid"] == ref && !toBool(c["prv"]) && (!toBool(vc.obj["usepkcs11"]) || !toBool(vc.obj["usetoken"])) {
				return nil, errf(400, "OPENVPN_CLIENT_EXPORT_CERT_NO_PRIVATE_KEY", "Certificate with reference ID '%s' does not have a private key. Ensure the certificate is valid and has a private key.", ref)
			}
		}
		return v, nil
	},
}

// ovpnRestart is what an update of a server does to its status: Models/OpenVPNServer.inc
// _update() ends in openvpn_resync(), which restarts the instance, so every client is
// disconnected. The simulated clients reconnect at once when their certificate is still
// signed by the server's CA (their counters and connect time start again) and stay away
// otherwise, as a real client with a certificate of the old CA would.
func ovpnRestart(vc *vctx, old map[string]any) {
	if old == nil {
		return
	}
	sim, obj := vc.sim, vc.obj
	now := sim.opts.Now().UTC()
	for _, st := range sim.st.Lists["OpenVPNServerStatus"] {
		if strval(st["vpnid"]) != strval(obj["vpnid"]) {
			continue
		}
		conns, _ := st["conns"].([]any)
		kept := []any{}
		names := map[string]bool{}
		for _, c := range conns {
			conn, ok := c.(map[string]any)
			if !ok || !sim.certOfCA(strval(conn["common_name"]), strval(obj["caref"])) {
				continue
			}
			cp := withValue(conn, "connect_time", now.Format(time.DateTime))
			cp["connect_time_unix"], cp["bytes_recv"], cp["bytes_sent"] = now.Unix(), int64(0), int64(0)
			kept = append(kept, cp)
			names[strval(conn["common_name"])] = true
		}
		st["conns"] = kept
		routes, _ := st["routes"].([]any)
		keptRoutes := []any{}
		for _, r := range routes {
			if rt, ok := r.(map[string]any); ok && names[strval(rt["common_name"])] {
				keptRoutes = append(keptRoutes, withValue(rt, "last_time", now.Format(time.DateTime)))
			}
		}
		st["routes"] = keptRoutes
	}
}

// certOfCA reports whether a stored certificate with this common name is signed by the CA
// with this refid.
func (sim *Simulator) certOfCA(cn, caref string) bool {
	for _, c := range sim.st.Lists["Certificate"] {
		if strval(c["caref"]) != caref {
			continue
		}
		block, _ := pem.Decode([]byte(strval(c["crt"])))
		if block == nil {
			continue
		}
		if cert, err := x509.ParseCertificate(block.Bytes); err == nil && cert.Subject.CommonName == cn {
			return true
		}
	}
	return false
}

func init() {
	afterHooks["OpenVPNServer"] = ovpnRestart
}
