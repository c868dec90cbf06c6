package simulator

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/pfutil"
	"golang.org/x/crypto/bcrypt"
)

// The models' hand-written rules (Models/<Model>.inc): validate_<field> methods, validate_extra,
// and the overridden _create/_delete/pre_apply_* methods whose side effects a client sees.
// Every entry names the method it follows. The rules table (simulator/rules) lists every
// model's custom methods; the ones not here are not simulated (README).

type fieldHook func(vc *vctx, v any) (any, *apiError)

// fieldHooks are validate_<field>: called for non-null values after all fields validated.
var fieldHooks = map[string]map[string]fieldHook{
	"FirewallRule": {
		"interface":     firewallRuleInterface,
		"statetype":     firewallRuleStatetype,
		"tcp_flags_set": firewallRuleTCPFlagsSet,
		"dnpipe":        firewallRuleDnpipe,
		"pdnpipe":       firewallRulePdnpipe,
		"ackqueue":      firewallRuleAckqueue,
		"updated_by":    func(vc *vctx, v any) (any, *apiError) { return vc.clientName(), nil }, // validate_updated_by
	},
	"InterfaceVLAN": {
		"if": vlanParent,
		// Models/InterfaceVLAN.inc validate_vlanif: always {if}.{tag}.
		"vlanif": func(vc *vctx, v any) (any, *apiError) { return strval(vc.obj["if"]) + "." + strval(vc.obj["tag"]), nil },
	},
	"FirewallAlias": {
		"name":    firewallAliasName,
		"address": firewallAliasAddress,
		"detail":  firewallAliasDetail,
	},
	"DHCPServerStaticMapping": {
		"ipaddr":       staticMappingIPAddr,
		"maxleasetime": staticMappingMaxLease,
		"gateway":      staticMappingGateway,
	},
	"WireGuardTunnel": {
		"enabled":    wireguardTunnelEnabled,
		"privatekey": wireguardTunnelPrivateKey,
	},
	"WireGuardPeer": {
		// Models/WireGuardPeer.inc validate_presharedkey.
		"presharedkey": func(vc *vctx, v any) (any, *apiError) {
			if s := strval(v); s != "" && !wgValidKey(s) {
				return nil, errf(400, "WIREGUARD_PEER_PRESHAREDKEY_INVALID", "Field `presharedkey` must be a valid WireGuard pre-shared key.")
			}
			return v, nil
		},
	},
	"IPsecPhase1": {
		"remote_gateway": ipsecRemoteGateway,
		"myid_data":      ipsecIDData("myid", "IPSEC_PHASE_1_MYID_DATA"),
		"peerid_data":    ipsecIDData("peerid", "IPSEC_PHASE_1_PEERID_DATA"),
		"peerid_type": func(vc *vctx, v any) (any, *apiError) { // validate_peerid_type
			if v == "peeraddress" && (vc.obj["remote_gateway"] == "0.0.0.0" || vc.obj["remote_gateway"] == "::") {
				return nil, errf(400, "IPSEC_PHASE_1_NO_INADDR_ANY_WITH_PEERADDRESS", "Field `peerid_type` cannot be `peeraddress` when `remote_gateway` is `0.0.0.0` or `::`")
			}
			return v, nil
		},
		"rekey_time":  lessThanLifetime("rekey_time", "IPSEC_PHASE_1_REKEY_TIME_GREATER_THAN_LIFETIME"),
		"reauth_time": lessThanLifetime("reauth_time", "IPSEC_PHASE_1_REAUTH_TIME_GREATER_THAN_LIFETIME"),
		"startaction": ipsecStartAction,
		"nattport":    ipsecNATTPort,
	},
	"IPsecPhase2": {
		"localid_address":    ipsecP2Address("localid_address", "LOCALID"),
		"natlocalid_address": ipsecP2Address("natlocalid_address", "NATLOCALID"),
		"remoteid_address":   ipsecP2Address("remoteid_address", "REMOTEID"),
		"localid_netbits":    ipsecP2Netbits("localid"),
		"natlocalid_netbits": ipsecP2Netbits("natlocalid"),
		"remoteid_netbits":   ipsecP2Netbits("remoteid"),
		"rekey_time":         lessThanLifetime("rekey_time", "IPSEC_PHASE_2_REKEY_TIME_GREATER_THAN_LIFETIME"),
		"localid_type":       ipsecLocalIDType,
		"natlocalid_type":    ipsecNATLocalIDType,
	},
	"OpenVPNServer":    ovpnHooks(true),
	"OpenVPNClient":    ovpnHooks(false),
	"NetworkInterface": ifaceHooks,
	"User": {
		"name":     userName,
		"password": userPassword,
		"priv":     privilegeKnown("USER_PRIV_NOT_FOUND"),
		"cert":     userCert,
	},
	"UserGroup": {
		"name":  userGroupName,
		"scope": userGroupScope,
		"priv":  privilegeKnown("USER_GROUP_PRIV_NOT_FOUND"),
	},
	"FirewallScheduleTimeRange": {"hour": scheduleHour},
	"StaticRoute":               {"network": staticRouteNetwork, "gateway": staticRouteGateway, "disabled": staticRouteDisabled},
	"RoutingGateway":            gatewayHooks,
	"VirtualIP":                 {"type": virtualIPType, "subnet_bits": virtualIPSubnetBits, "vhid": virtualIPVHID},
	"DHCPServer": {
		"enable":       dhcpServerEnable,
		"range_from":   dhcpRangeFrom("DHCP_SERVER", false),
		"range_to":     dhcpRangeTo("DHCP_SERVER", false),
		"maxleasetime": dhcpMaxLease("DHCP_SERVER"),
		"gateway":      dhcpGateway("DHCP_SERVER", false),
		"staticarp":    dhcpStaticARP,
		"nonak":        dhcpNonak,
	},
	"DHCPServerAddressPool": {
		"range_from":   dhcpRangeFrom("DHCP_SERVER_ADDRESS_POOL", true),
		"range_to":     dhcpRangeTo("DHCP_SERVER_ADDRESS_POOL", true),
		"maxleasetime": dhcpMaxLease("DHCP_SERVER_ADDRESS_POOL"),
		"gateway":      dhcpGateway("DHCP_SERVER_ADDRESS_POOL", true),
	},
	"DHCPServerCustomOption": {"value": dhcpOptionValue},
	"DHCPRelay":              {"enable": dhcpRelayEnable},
	"OutboundNATMapping":     {"target_subnet": outboundNATTargetSubnet, "poolopts": outboundNATPoolopts},
	"OneToOneNATMapping": {
		"external":    oneToOneFamily("external", "EXTERNAL", false),
		"source":      oneToOneFamily("source", "SOURCE", true),
		"destination": oneToOneFamily("destination", "destination", true),
	},
	"CronJob":                      {"who": cronJobWho},
	"ServiceWatchdog":              {"description": watchdogDescription},
	"DNSResolverAccessListNetwork": {"mask": accessListMask},
	"NTPTimeServer":                {"type": ntpServerType},
	"NTPSettings":                  {"serverauthkey": ntpAuthKey},
	"BINDZoneRecord":               {"type": bindRecordType},
	"TrafficShaper":                {"bandwidth": shaperBandwidth},
	"TrafficShaperQueue":           shaperQueueHooks,
	"FreeRADIUSClient":             {"addr": radiusAddr("FREERADIUS_CLIENT")},
	"OpenVPNClientExport":          exportHooks,
	"FreeRADIUSInterface":          {"addr": radiusAddr("FREERADIUS_INTERFACE")},
	"InterfaceLAGG":                {"members": laggMember, "failovermaster": laggFailoverMaster},
	"Certificate":                  {"prv": keyPairMatches("CERTIFICATE_CRT_AND_PRV_NOT_KEYPAIR")},
	"CertificateAuthority":         {"crt": caIsCA, "prv": keyPairMatches("CERTIFICATE_AUTHORITY_CRT_AND_PRV_NOT_KEYPAIR")},
}

// extraHooks are validate_extra.
var extraHooks = map[string]func(vc *vctx) *apiError{
	// Models/WireGuardTunnel.inc validate_extra: the public key is derived from the private key.
	"WireGuardTunnel": func(vc *vctx) *apiError {
		vc.obj["publickey"] = wireguardPublic(strval(vc.obj["privatekey"]))
		return nil
	},
	"WireGuardTunnelAddress":                      wireguardAddressInUse,
	"TrafficShaperQueue":                          shaperQueueExtra,
	"FirewallScheduleTimeRange":                   scheduleMonthDay,
	"DHCPServer":                                  dhcpServerOverlap,
	"DHCPServerAddressPool":                       dhcpPoolOverlap,
	"NTPSettings":                                 ntpPollOrder,
	"InterfaceGRE":                                greLocalAddress,
	"OpenVPNServer":                               ovpnExtra(true),
	"OpenVPNClient":                               ovpnExtra(false),
	"RoutingGatewayGroupPriority":                 gatewayGroupPriorityFamily,
	"CertificateRevocationListRevokedCertificate": crlRevokedCertificate,
}

// createHooks run in the model's _create before the object is stored.
var createHooks = map[string]func(vc *vctx) *apiError{
	// Models/PortForward.inc _create: `new` becomes pfSense's get_unique_id() (uniqid("nat_", true)).
	"PortForward": func(vc *vctx) *apiError {
		if vc.obj["associated_rule_id"] == "new" {
			vc.obj["associated_rule_id"] = "nat_" + vc.sim.uniqid() + fmt.Sprintf(".%08d", vc.sim.nowUnix()%100000000)
		}
		return nil
	},
	"User":      bumpNext("uid"),
	"UserGroup": bumpNext("gid"),
}

// bumpNext is Models/User.inc and Models/UserGroup.inc _create: system/nextuid (nextgid)
// becomes the new object's uid (gid) plus one, whatever it was before.
func bumpNext(field string) func(vc *vctx) *apiError {
	return func(vc *vctx) *apiError {
		if vc.sim.st.Next == nil {
			vc.sim.st.Next = map[string]int64{}
		}
		vc.sim.st.Next[field] = toInt(vc.obj[field]) + 1
		return nil
	}
}

// preValidateUpdate are the models' pre_validate_update methods (Core/Model.inc update() runs
// it on the merged object before validating), for versions whose rules list the override.
var preValidateUpdate = map[string]func(sim *Simulator, obj map[string]any){
	// v2.10.0 Models/WireGuardTunnel.inc pre_validate_update: an assigned tunnel's addresses
	// come from its interface, so the ones an update sends are scrubbed.
	"WireGuardTunnel": func(sim *Simulator, obj map[string]any) {
		for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
			if strval(rw.obj["if"]) == strval(obj["name"]) {
				obj["addresses"] = []any{}
				return
			}
		}
	},
}

// updateHooks run in the model's _update before the object is stored.
var updateHooks = map[string]func(vc *vctx) *apiError{}

// afterHooks are pre_apply_create / pre_apply_update: side effects after the write (old is
// the object before an update, nil after a create).
var afterHooks = map[string]func(vc *vctx, old map[string]any){
	"PortForward": portForwardLinkedRule,
	"User":        renameGroupMember,
}

// renameGroupMember: a group stores its members by uid (Models/UserGroup.inc member,
// ForeignModelField model_field_internal uid) and reads them back by name, so a renamed user
// is a member under the new name. The simulator stores the names, and renames them.
func renameGroupMember(vc *vctx, old map[string]any) {
	if old == nil {
		return
	}
	from, to := strval(old["name"]), strval(vc.obj["name"])
	if from == to || from == "" {
		return
	}
	for _, g := range vc.sim.st.Lists["UserGroup"] {
		members := listOf(g["member"])
		for i, m := range members {
			if strval(m) == from {
				c := append([]any(nil), members...)
				c[i] = to
				g["member"] = c
				break
			}
		}
	}
}

// deleteGuards are checks of the model's _delete that can refuse the deletion.
var deleteGuards = map[string]func(sim *Simulator, req *request, rw row) *apiError{
	// Models/User.inc _delete.
	"User": func(sim *Simulator, req *request, rw row) *apiError {
		if rw.obj["scope"] != "user" {
			return errf(400, "USER_WITH_SYSTEM_SCOPE_CANNOT_BE_DELETED", "System user `%s` cannot be deleted.", strval(rw.obj["name"]))
		}
		return nil
	},
	// Models/UserGroup.inc _delete.
	"UserGroup": func(sim *Simulator, req *request, rw row) *apiError {
		if rw.obj["scope"] == "system" {
			return errf(403, "USER_GROUP_CANNOT_DELETE_SYSTEM_SCOPED_GROUPS", "User groups with `scope` set to `system` cannot be deleted.")
		}
		return nil
	},
	// Models/Certificate.inc _delete: pfSense's cert_in_use().
	"Certificate": func(sim *Simulator, req *request, rw row) *apiError {
		if sim.certInUse(strval(rw.obj["refid"])) {
			return errf(403, "CERTIFICATE_CANNOT_BE_DELETED_WHILE_IN_USE", "Certificate cannot be deleted because it is in use by one or more services.")
		}
		return nil
	},
	"InterfaceLAGG":   laggInUse,
	"InterfaceGRE":    greInUse,
	"InterfaceBridge": bridgeInUse,
	"OpenVPNServer":   ovpnDeleteGuard("server", "OpenVPNServer", "OPENVPN_SERVER_CANNOT_BE_DELETED_WHILE_IN_USE"),
	"OpenVPNClient":   ovpnDeleteGuard("client", "OpenVPNClient", "OPENVPN_CLIENT_CANNOT_BE_DELETED_WHILE_IN_USE"),
	// Models/CertificateAuthority.inc _delete. v2.7.1 asks pfSense's cert_in_use() about the
	// CA's refid (a certificate check, so a CA an OpenVPN server uses can be deleted) and
	// answers 403; from v2.7.4 it asks ca_in_use() and answers 409 (commits 8fa83dc2 and
	// 07bdfa10, issue #856).
	"CertificateAuthority": func(sim *Simulator, req *request, rw row) *apiError {
		refid := strval(rw.obj["refid"])
		if sim.core.caDeleteChecksCAUse {
			if sim.caInUse(refid) {
				return errf(409, "CERTIFICATE_AUTHORITY_CANNOT_BE_DELETED_WHILE_IN_USE", "Certificate authority cannot be deleted because it is in use.")
			}
		} else if sim.certInUse(refid) {
			return errf(403, "CERTIFICATE_AUTHORITY_CANNOT_BE_DELETED_WHILE_IN_USE", "Certificate authority cannot be deleted because it is in use.")
		}
		return nil
	},
}

// deleteHooks are pre_apply_delete side effects.
var deleteHooks = map[string]func(sim *Simulator, req *request, rw row){
	// Models/PortForward.inc pre_apply_delete: the associated firewall rule goes too.
	"PortForward": func(sim *Simulator, req *request, rw row) {
		id := strval(rw.obj["associated_rule_id"])
		if id == "" || id == "pass" {
			return
		}
		sim.dropWhere("FirewallRule", "associated_rule_id", id)
	},
}

// replaceHooks run after a PUT replaced a model's objects (apply_replace_all side effects).
var replaceHooks = map[string]func(sim *Simulator, req *request, old []row){}

// computedFields give a stored object's representation-only fields their value at read time
// (a Field's from_internal_<name> method), on a copy.
var computedFields = map[string]func(sim *Simulator, obj map[string]any) map[string]any{
	"FirewallSchedule": withScheduleActive,
	"VirtualIP":        withCARPStatus,
	"Table":            withTableName,
	"Certificate":      withValidity,
}

// withValidity is v2.10.0's Models/Certificate.inc from_internal_valid_from, _valid_until and
// _valid_days_left: the certificate's own dates (pfSense certs.inc cert_get_dates, in the
// system's time zone) and the whole days left (DateTime::diff, negative once expired).
func withValidity(sim *Simulator, obj map[string]any) map[string]any {
	m := sim.models["Certificate"]
	if m == nil || m.schema.Prop("valid_until") == nil {
		return obj
	}
	var from, until, left any
	if block, _ := pem.Decode([]byte(strval(obj["crt"]))); block != nil {
		if c, err := x509.ParseCertificate(block.Bytes); err == nil {
			loc := sim.timezone()
			from = c.NotBefore.In(loc).Format(time.DateTime)
			until = c.NotAfter.In(loc).Format(time.DateTime)
			d := c.NotAfter.Sub(sim.opts.Now())
			left = int64(d / (24 * time.Hour))
		}
	}
	obj = withValue(obj, "valid_from", from)
	obj = withValue(obj, "valid_until", until)
	return withValue(obj, "valid_days_left", left)
}

// timezone is the system's time zone (SystemTimezone), UTC when unknown here.
func (sim *Simulator) timezone() *time.Location {
	if tz := strval(sim.st.Singles["SystemTimezone"]["timezone"]); tz != "" {
		if loc, err := time.LoadLocation(tz); err == nil {
			return loc
		}
	}
	return time.UTC
}

// withTableName is v2.10.0's Models/Table.inc get_internal: each table carries its name as
// a field too (v2.7.1's model has no such field).
func withTableName(sim *Simulator, obj map[string]any) map[string]any {
	if m := sim.models["Table"]; m == nil || m.schema.Prop("name") == nil {
		return obj
	}
	return withValue(obj, "name", obj["id"])
}

// readHooks compute what a read of a model without ids returns.
var readHooks = map[string]func(sim *Simulator, req *request, obj map[string]any) map[string]any{
	"FirewallStatesSize": statesSize,
}

// simPhysmemMB is the simulated firewall's memory (get_memory()[0], MB).
const simPhysmemMB = 4000

// statesSize is Models/FirewallStatesSize.inc from_internal_defaultmaximumstates and
// from_internal_currentstates: both are read from the system on every read, whatever was stored
// (pfSense src/etc/inc/pfsense-utils.inc pfsense_default_state_size: 10% of memory, 1000 states
// per MB; get_pfstate: the state table's current entries).
func statesSize(sim *Simulator, req *request, obj map[string]any) map[string]any {
	out := make(map[string]any, len(obj)+2)
	for k, v := range obj {
		out[k] = v
	}
	out["defaultmaximumstates"] = int64(simPhysmemMB / 10 * 1000)
	if m := sim.models["FirewallState"]; m != nil {
		out["currentstates"] = int64(len(sim.rows(m)))
	}
	return out
}

// firewallRuleInterface is Models/FirewallRule.inc validate_interface.
func firewallRuleInterface(vc *vctx, v any) (any, *apiError) {
	if !toBool(vc.obj["floating"]) && len(listOf(vc.obj["interface"])) > 1 {
		return nil, errf(400, "FIREWALL_RULE_MULTIPLE_INTERFACE_WITHOUT_FLOATING", "Field `interface` cannot contain more than one value unless `floating` is enabled.")
	}
	return v, nil
}

// firewallRuleStatetype is Models/FirewallRule.inc validate_statetype.
func firewallRuleStatetype(vc *vctx, v any) (any, *apiError) {
	if v == "synproxy state" && vc.obj["protocol"] != "tcp" {
		return nil, errf(400, "FIREWALL_RULE_SYNPROXY_STATE_TYPE_WITH_NON_TCP_PROTOCOL", "Field `statetype` cannot be set to `synproxy state` unless `protocol` is set to `tcp`.")
	}
	if v == "synproxy state" && toBool(vc.obj["gateway"]) {
		return nil, errf(400, "FIREWALL_RULE_SYNPROXY_STATE_TYPE_WITH_GATEWAY", "Field `statetype` cannot be set to `synproxy state` when a `gateway` value is set.")
	}
	return v, nil
}

// firewallRuleTCPFlagsSet is Models/FirewallRule.inc validate_tcp_flags_set.
func firewallRuleTCPFlagsSet(vc *vctx, v any) (any, *apiError) {
	out, isList := vc.obj["tcp_flags_out_of"].([]any)
	if !isList {
		return nil, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "in_array(): Argument #2 ($haystack) must be of type array, null given")
	}
	if !inArray(v, out) {
		return nil, errf(400, "FIREWALL_RULE_TCP_FLAGS_SET_NOT_IN_TCP_FLAGS_OUT_OF", "Field `tcp_flags_set` value `%s` is not present in `tcp_flags_out_of`.", strval(v))
	}
	return v, nil
}

// limiterByName is FirewallRule::get_dnpipe_by_name: a traffic shaper limiter, or a queue of one.
func (sim *Simulator) limiterByName(name string) string {
	for _, l := range sim.st.Lists["TrafficShaperLimiter"] {
		if l["name"] == name {
			return "TrafficShaperLimiter"
		}
	}
	for _, l := range sim.st.Lists["TrafficShaperLimiter"] {
		for _, q := range listOf(l["queue"]) {
			if asMap(q)["name"] == name {
				return "TrafficShaperLimiterQueue"
			}
		}
	}
	return ""
}

// firewallRuleDnpipe is Models/FirewallRule.inc validate_dnpipe.
func firewallRuleDnpipe(vc *vctx, v any) (any, *apiError) {
	if vc.sim.limiterByName(strval(v)) == "" {
		return nil, errf(404, "FIREWALL_RULE_DNPIPE_NOT_FOUND", "Field `dnpipe` must be an existing Traffic Shaper Limiter or Limiter Queue. Could not locate object with `name` value `%s`", strval(v))
	}
	return v, nil
}

// firewallRulePdnpipe is Models/FirewallRule.inc validate_pdnpipe.
func firewallRulePdnpipe(vc *vctx, v any) (any, *apiError) {
	s := strval(v)
	if s != "" && !toBool(vc.obj["dnpipe"]) {
		return nil, errf(400, "FIREWALL_RULE_PDNPIPE_SET_WITHOUT_DNPIPE", "Field `pdnpipe` cannot be set unless `dnpipe` is also set.")
	}
	if strictEquals(v, vc.obj["dnpipe"]) {
		return nil, errf(400, "FIREWALL_RULE_PDNPIPE_CANNOT_MATCH_DNPIPE", "Field `pdnpipe` cannot use the same limiter as `dnpipe`.")
	}
	kind := vc.sim.limiterByName(s)
	if kind == "" {
		return nil, errf(404, "FIREWALL_RULE_PDNPIPE_NOT_FOUND", "Field `pdnpipe` must be an existing Traffic Shaper Limiter or Limiter Queue. Could not locate object with `name` value `%s`", s)
	}
	if kind != vc.sim.limiterByName(strval(vc.obj["dnpipe"])) {
		return nil, errf(409, "FIREWALL_RULE_PDNPIPE_DOES_NOT_MATCH_DNPIPE_LIMITER_TYPE", "Field `pdnpipe` must be of the same limiter type as `dnpipe`. A pipe and a queue cannot be used concurrently.")
	}
	return v, nil
}

// firewallRuleAckqueue is Models/FirewallRule.inc validate_ackqueue.
func firewallRuleAckqueue(vc *vctx, v any) (any, *apiError) {
	if toBool(v) && !toBool(vc.obj["defaultqueue"]) {
		return nil, errf(400, "FIREWALL_RULE_ACKQUEUE_WITHOUT_DEFAULTQUEUE", "Field `ackqueue` cannot be defined without `defaultqueue`.")
	}
	if strictEquals(v, vc.obj["defaultqueue"]) {
		return nil, errf(400, "FIREWALL_RULE_ACKQUEUE_MATCHES_DEFAULTQUEUE", "Field `ackqueue` cannot match the value of `defaultqueue`.")
	}
	return v, nil
}

// portForwardLinkedRule is Models/PortForward.inc pre_apply_create and pre_apply_update: an
// associated rule id other than "" and "pass" gets a linked pass rule (created, or kept in
// step with the port forward). The port forward is already written when this fails: the
// answer is a 500 and the port forward stays.
func portForwardLinkedRule(vc *vctx, old map[string]any) {
	id := strval(vc.obj["associated_rule_id"])
	if id == "" || id == "pass" {
		return
	}
	values := map[string]any{
		"type": "pass", "disabled": vc.obj["disabled"], "interface": []any{vc.obj["interface"]},
		"ipprotocol": vc.obj["ipprotocol"], "protocol": vc.obj["protocol"], "source": vc.obj["source"],
		"source_port": vc.obj["source_port"], "destination": vc.obj["target"], "destination_port": vc.obj["local_port"],
	}
	sim := vc.sim
	if old != nil {
		for _, r := range sim.st.Lists["FirewallRule"] {
			if strval(r["associated_rule_id"]) == id {
				for k, x := range values {
					r[k] = cloneValue(x)
				}
				r["updated_time"] = sim.nowUnix()
				r["updated_by"] = vc.clientName()
				return
			}
		}
		return
	}
	values["descr"] = "Associated rule for port forward rule " + id
	if _, e := sim.internalCreate(vc.req, "FirewallRule", values, map[string]any{"associated_rule_id": id}); e != nil {
		vc.deferred = errf(500, "PORT_FORWARD_ASSOCIATED_FIREWALL_RULE_CREATION_FAILED", "Failed to create associated firewall rule for port forward rule: %s", e.msg)
	}
}

// internalCreate creates an object the way a model's PHP code does (new Model(..., client:
// $this->client)->create()): validated like a request, the client's name in created_by.
// set are values assigned after construction (not validated as input).
func (sim *Simulator) internalCreate(req *request, model string, values, set map[string]any) (row, *apiError) {
	m := sim.models[model]
	sub := &request{r: req.r, m: m, user: req.user, params: values}
	for _, rt := range sim.routes {
		if op := rt.ops["POST"]; op != nil && op.model == m && !op.Plural {
			sub.op = op
		}
	}
	if sub.op == nil {
		return row{}, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "no endpoint creates %s", model)
	}
	sub.ctl = controls{async: true, sortOrder: "SORT_ASC"}
	obj := sim.freshObject(m)
	sim.fromRepresentation(m, obj, values)
	for k, v := range set {
		obj[k] = v
	}
	list, put := sim.storeList(m, nil)
	vc := &vctx{sim: sim, m: m, s: m.schema, obj: obj, id: int64(len(list)), req: sub, siblings: sim.rows(m), withClient: true}
	if e := sim.checkPackages(m); e != nil {
		return row{}, e
	}
	if e := vc.validateModel(); e != nil {
		return row{}, e
	}
	sim.stamp(m, obj)
	list = append(list, obj)
	put(list)
	sim.markModelDirty(m, nil)
	return row{id: int64(len(list) - 1), obj: obj}, nil
}

// firewallAliasName is Models/FirewallAlias.inc validate_name: pfSense's is_validaliasname.
func firewallAliasName(vc *vctx, v any) (any, *apiError) {
	if !pfutil.IsValidAliasName(strval(v)) {
		return nil, errf(400, "INVALID_FIREWALL_ALIAS_NAME", "Invalid firewall alias name '%s'.", strval(v))
	}
	return v, nil
}

// firewallAliasAddress is Models/FirewallAlias.inc validate_address.
func firewallAliasAddress(vc *vctx, v any) (any, *apiError) {
	a := strval(v)
	switch vc.obj["type"] {
	case "port":
		if !pfutil.IsPort(a) && !pfutil.IsPortRange(a) && !vc.sim.aliasExists(a, true) {
			return nil, errf(400, "INVALID_PORT_ALIAS_ADDRESS", "Port alias 'address' value '%s' is not a valid port, range, or alias.", a)
		}
	case "host":
		if pfutil.IsIP(a) == 0 && !pfutil.IsFQDN(a) && !vc.sim.aliasExists(a, false) {
			return nil, errf(400, "INVALID_HOST_ALIAS_ADDRESS", "Host alias 'address' value '%s' is not a valid IP, FQDN, or alias.", a)
		}
	case "network":
		if pfutil.IsSubnet(a) == 0 && !pfutil.IsFQDN(a) && !vc.sim.aliasExists(a, false) {
			return nil, errf(400, "INVALID_NETWORK_ALIAS_ADDRESS", "Network alias 'address' value '%s' is not a valid CIDR, FQDN, or alias.", a)
		}
	}
	return v, nil
}

// firewallAliasDetail is Models/FirewallAlias.inc validate_detail: no more details than
// addresses; missing ones become "Entry added <date('r')>".
func firewallAliasDetail(vc *vctx, v any) (any, *apiError) {
	details, addrs := listOf(vc.obj["detail"]), listOf(vc.obj["address"])
	if len(details) > len(addrs) {
		return nil, errf(400, "TOO_MANY_ALIAS_DETAILS", "Aliases cannot contain more 'detail' items than 'address' items.")
	}
	for len(details) < len(addrs) {
		details = append(details, "Entry added "+vc.sim.opts.Now().Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	}
	vc.obj["detail"] = details
	return v, nil
}

// staticMappingIPAddr is Models/DHCPServerStaticMapping.inc validate_ipaddr: not inside the
// server's dynamic range (the message names this mapping itself), a pool or a virtual IP;
// inside the interface's subnet.
func staticMappingIPAddr(vc *vctx, v any) (any, *apiError) {
	ip := strval(v)
	if vc.parent != nil && inRangeV4(ip, strval(vc.parent["range_from"]), strval(vc.parent["range_to"])) {
		return nil, errf(409, "DHCP_SERVER_STATIC_MAPPING_IPADDR_OVERLAPS_EXISTING_OBJECT",
			"Field `ipaddr` overlaps existing %s with ID `%s`.", vc.sim.verboseName(vc.m.name), strval(vc.id))
	}
	if vc.parent != nil {
		for i, p := range listOf(vc.parent["pool"]) {
			if pm := asMap(p); inRangeV4(ip, strval(pm["range_from"]), strval(pm["range_to"])) {
				return nil, errf(409, "DHCP_SERVER_STATIC_MAPPING_IPADDR_OVERLAPS_EXISTING_OBJECT",
					"Field `ipaddr` overlaps existing %s with ID `%d`.", vc.sim.verboseName("DHCPServerAddressPool"), i)
			}
		}
	}
	for i, vip := range vc.sim.st.Lists["VirtualIP"] {
		if strval(vip["subnet"]) == ip {
			return nil, errf(409, "DHCP_SERVER_STATIC_MAPPING_IPADDR_OVERLAPS_EXISTING_OBJECT",
				"Field `ipaddr` overlaps existing %s with ID `%d`.", vc.sim.verboseName("VirtualIP"), i)
		}
	}
	if ip != "" && !vc.sim.inInterfaceSubnet(strval(vc.parentID), ip) {
		return nil, errf(400, "DHCP_SERVER_STATIC_MAPPING_IPADDR_NOT_WITHIN_SUBNET", "Field `ipaddr` must be within the interface's subnet.")
	}
	return v, nil
}

func staticMappingMaxLease(vc *vctx, v any) (any, *apiError) {
	if d := vc.obj["defaultleasetime"]; d != nil && toFloat(v) < toFloat(d) {
		return nil, errf(400, "DHCP_SERVER_STATIC_MAPPING_MAX_LEASE_TIME_LESS_THAN_DEFAULT", "DHCP server `maxleasetime` cannot be less than the `defaultleasetime`")
	}
	return v, nil
}

func staticMappingGateway(vc *vctx, v any) (any, *apiError) {
	if gw := strval(v); gw != "" && !vc.sim.inInterfaceSubnet(strval(vc.parentID), gw) {
		return nil, errf(400, "DHCP_SERVER_STATIC_MAPPING_GATEWAY_NOT_WITHIN_SUBNET", "DHCP server `gateway` must be within interface's subnet.")
	}
	return v, nil
}

// inRangeV4 is pfSense's is_inrange_v4.
func inRangeV4(ip, from, to string) bool {
	a, err1 := netip.ParseAddr(ip)
	f, err2 := netip.ParseAddr(from)
	t, err3 := netip.ParseAddr(to)
	if err1 != nil || err2 != nil || err3 != nil || !a.Is4() {
		return false
	}
	return a.Compare(f) >= 0 && a.Compare(t) <= 0
}

// inInterfaceSubnet: ip is inside the IPv4 subnet of the interface with this id.
func (sim *Simulator) inInterfaceSubnet(ifid, ip string) bool {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		if strval(rw.id) != ifid {
			continue
		}
		base, err := netip.ParseAddr(strval(rw.obj["ipaddr"]))
		if err != nil {
			return false
		}
		p, err := base.Prefix(int(toInt(rw.obj["subnet"])))
		return err == nil && p.Contains(a)
	}
	return false
}

// wireguardTunnelEnabled is Models/WireGuardTunnel.inc validate_enabled.
func wireguardTunnelEnabled(vc *vctx, v any) (any, *apiError) {
	if v == false {
		for _, rw := range vc.sim.rows(vc.sim.models["NetworkInterface"]) {
			if rw.obj["if"] == vc.obj["name"] {
				return nil, errf(409, "WIREGUARD_TUNNEL_CANNOT_BE_DISABLED_WHILE_IN_USE_BY_INTERFACE",
					"Field `enabled` cannot be `false` because this %s is in use by an existing interface object.", vc.sim.verboseName(vc.m.name))
			}
		}
	}
	return v, nil
}

// wireguardTunnelPrivateKey is Models/WireGuardTunnel.inc validate_privatekey: a valid key,
// stored clamped.
func wireguardTunnelPrivateKey(vc *vctx, v any) (any, *apiError) {
	s := strval(v)
	if !wgValidKey(s) {
		return nil, errf(400, "WIREGUARD_TUNNEL_INVALID_PRIVATE_KEY", "Field `privatekey` must be a valid WireGuard private key.")
	}
	return wgClamp(s), nil
}

// wireguardAddressInUse is Models/WireGuardTunnelAddress.inc validate_extra: pfSense's
// where_is_ipaddr_configured with subnets: the address must not be on an interface or
// another tunnel already.
func wireguardAddressInUse(vc *vctx) *apiError {
	addr := strval(vc.obj["address"])
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return nil
	}
	conflict := func(ip string, bits int64) bool {
		b, err := netip.ParseAddr(ip)
		if err != nil {
			return false
		}
		pa, e1 := a.Prefix(int(toInt(vc.obj["mask"])))
		pb, e2 := b.Prefix(int(bits))
		return e1 == nil && e2 == nil && (pa.Overlaps(pb))
	}
	for _, rw := range vc.sim.rows(vc.sim.models["NetworkInterface"]) {
		if conflict(strval(rw.obj["ipaddr"]), toInt(rw.obj["subnet"])) {
			return errf(409, "WIREGUARD_TUNNEL_ADDRESS_AND_MASK_ALREADY_IN_USE", "This tunnel's `address` and `mask` is already in use on this system.")
		}
	}
	for _, t := range vc.sim.st.Lists["WireGuardTunnel"] {
		if vc.parent != nil && mapID(t) == mapID(vc.parent) {
			continue
		}
		for _, ad := range listOf(t["addresses"]) {
			am := asMap(ad)
			if conflict(strval(am["address"]), toInt(am["mask"])) {
				return errf(409, "WIREGUARD_TUNNEL_ADDRESS_AND_MASK_ALREADY_IN_USE", "This tunnel's `address` and `mask` is already in use on this system.")
			}
		}
	}
	return nil
}

// ipsecRemoteGateway is Models/IPsecPhase1.inc validate_remote_gateway.
func ipsecRemoteGateway(vc *vctx, v any) (any, *apiError) {
	gw := strval(v)
	if vc.obj["protocol"] == "inet" && pfutil.IsIPv6(gw) {
		return nil, errf(400, "IPSEC_PHASE_1_IPV6_REMOTE_GATEWAY_NOT_ALLOWED", "Field `remote_gateway` cannot be an IPv6 address while `protocol` is set to `inet`.")
	}
	if vc.obj["protocol"] == "inet6" && pfutil.IsIPv4(gw) {
		return nil, errf(400, "IPSEC_PHASE_1_IPV4_REMOTE_GATEWAY_NOT_ALLOWED", "Field `remote_gateway` cannot be an IPv4 address while `protocol` is set to `inet6`.")
	}
	if gw == "0.0.0.0" || gw == "::" {
		return v, nil
	}
	for _, o := range vc.siblings {
		if vc.id != nil && idKeyEqual(o.id, vc.id) {
			continue
		}
		if looseEqualsFilter(o.obj["remote_gateway"], v) && o.obj["disabled"] == false &&
			(!toBool(vc.obj["gw_duplicates"]) || !toBool(o.obj["gw_duplicates"])) {
			return nil, errf(400, "IPSEC_PHASE_1_ILLEGAL_DUPLICATE_REMOTE_GATEWAY",
				"Field `remote_gateway` must be unique. Duplicate value found in %s with ID `%s`.", vc.sim.verboseName(vc.m.name), strval(o.id))
		}
	}
	return v, nil
}

// ipsecIDData is Models/IPsecPhase1.inc validate_myid_data / validate_peerid_data.
func ipsecIDData(prefix, id string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		s := strval(v)
		switch vc.obj[prefix+"_type"] {
		case "address":
			if pfutil.IsIP(s) == 0 {
				return nil, errf(400, id+"_MUST_BE_IP_ADDRESS", "Field `%s_data` must be an IP address when `%s_type` is set to `address`.", prefix, prefix)
			}
		case "fqdn", "dyn_dns":
			if !pfutil.IsFQDN(s) {
				return nil, errf(400, id+"_MUST_BE_FQDN", "Field `%s_data` must be an FQDN when `%s_type` is set to `%s`.", prefix, prefix, strval(vc.obj[prefix+"_type"]))
			}
		case "user_fqdn":
			if !isEmail(s) {
				return nil, errf(400, id+"_MUST_BE_EMAIL_ADDRESS", "Field `%s_data` must be an email address when `%s_type` is set to `user_fqdn`.", prefix, prefix)
			}
		}
		return v, nil
	}
}

// lessThanLifetime is validate_rekey_time / validate_reauth_time of the IPsec phases.
func lessThanLifetime(field, id string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		if toFloat(v) >= toFloat(vc.obj["lifetime"]) {
			return nil, errf(400, id, "Field `%s` must be less than the `lifetime` field's current value.", field)
		}
		return v, nil
	}
}

// ipsecP2Address is Models/IPsecPhase2.inc validate_*_address: IPv4 in tunnel mode, IPv6 in tunnel6.
func ipsecP2Address(field, id string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		s := strval(v)
		if vc.obj["mode"] == "tunnel" && !pfutil.IsIPv4(s) {
			return nil, errf(400, "IPSEC_PHASE_2_"+id+"_ADDRESS_MUST_BE_IPV4_WITH_TUNNEL_MODE", "Field `%s` must be an IPv4 address while `mode` is set to `tunnel`.", field)
		}
		if vc.obj["mode"] == "tunnel6" && !pfutil.IsIPv6(s) {
			return nil, errf(400, "IPSEC_PHASE_2_"+id+"_ADDRESS_MUST_BE_IPV6_WITH_TUNNEL6_MODE", "Field `%s` must be an IPv6 address while `mode` is set to `tunnel6`.", field)
		}
		return v, nil
	}
}

// ipsecP2Netbits is Models/IPsecPhase2.inc validate_*_netbits.
func ipsecP2Netbits(prefix string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		if toInt(v) > 32 && pfutil.IsIPv4(strval(vc.obj[prefix+"_address"])) {
			return nil, errf(400, "IPSEC_PHASE_2_"+strings.ToUpper(prefix)+"_NETBITS_EXCEEDS_IPV4_MAXIMUM",
				"Field `%s_netbits` cannot exceed `32` while `%s_address` is an IPv4 address.", prefix, prefix)
		}
		return v, nil
	}
}

// userName is Models/User.inc validate_name: not a system account of /etc/passwd, unless it
// is the user's own name already.
func userName(vc *vctx, v any) (any, *apiError) {
	name := strval(v)
	if systemUsers[name] && (vc.initial == nil || vc.initial["name"] != name) {
		return nil, errf(400, "USER_CANNOT_USE_RESERVED_USERNAME", "Field `username` cannot use system reserved username `%s`.", name)
	}
	return v, nil
}

// systemUsers are the accounts of pfSense's /etc/passwd (FreeBSD's plus admin).
var systemUsers = map[string]bool{
	"root": true, "toor": true, "daemon": true, "operator": true, "bin": true, "tty": true, "kmem": true,
	"games": true, "news": true, "man": true, "sshd": true, "smmsp": true, "mailnull": true, "bind": true,
	"unbound": true, "proxy": true, "_pflogd": true, "_dhcp": true, "uucp": true, "pop": true,
	"auditdistd": true, "www": true, "ntpd": true, "_ypldap": true, "hast": true, "tests": true,
	"nobody": true, "admin": true, "dhcpd": true, "_sndio": true, "cyrus": true,
}

// userPassword is Models/User.inc validate_password: a changed password is stored as its
// bcrypt hash (local_user_set_password).
func userPassword(vc *vctx, v any) (any, *apiError) {
	pw := strval(v)
	if vc.initial != nil && vc.initial["password"] == pw {
		return v, nil
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.MinCost+6)
	if err != nil {
		return nil, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "Could not hash the password.")
	}
	return strings.Replace(string(h), "$2a$", "$2y$", 1), nil
}

// privilegeKnown is validate_priv of users and groups: the privilege must be in pfSense's
// $priv_list (the REST API's own endpoint privileges included).
func privilegeKnown(id string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		if !vc.sim.privilegeExists(strval(v)) {
			return nil, errf(404, id, "Field `priv` contains unknown privilege `%s`", strval(v))
		}
		return v, nil
	}
}

// userCert is Models/User.inc validate_cert: an existing certificate's refid.
func userCert(vc *vctx, v any) (any, *apiError) {
	for _, c := range vc.sim.st.Lists["Certificate"] {
		if c["refid"] == v {
			return v, nil
		}
	}
	return nil, errf(404, "USER_CERT_NOT_FOUND", "Field `cert` contains non-existing certificate `refid` value `%s`", strval(v))
}

// userGroupName is Models/UserGroup.inc validate_name.
func userGroupName(vc *vctx, v any) (any, *apiError) {
	if vc.obj["scope"] == "local" && len(strval(v)) > 16 {
		return nil, errf(400, "USER_GROUP_NAME_EXCEEDS_MAXIMUM_LENGTH_FOR_LOCAL_SCOPE", "Field `name` must be 16 characters or less if `scope` is set to `local`.")
	}
	return v, nil
}

// userGroupScope is Models/UserGroup.inc validate_scope (a 422).
func userGroupScope(vc *vctx, v any) (any, *apiError) {
	var existing any
	if vc.initial != nil {
		existing = vc.initial["scope"]
	}
	if v == "system" && existing != "system" {
		return nil, errf(422, "USER_GROUP_SCOPE_CANNOT_BE_SET_TO_SYSTEM", "Field `scope` cannot be set to `system` as it is reserved for system-defined user groups only.")
	}
	return v, nil
}

// keyPairMatches is validate_prv of certificates and CAs (X509Validator::is_matching_keypair).
func keyPairMatches(id string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		if !matchingKeyPair(strval(vc.obj["crt"]), strval(v)) {
			return nil, errf(400, id, "Field `prv` and field `crt` values must be a matching key pair.")
		}
		return v, nil
	}
}

// caIsCA is Models/CertificateAuthority.inc validate_crt.
func caIsCA(vc *vctx, v any) (any, *apiError) {
	b, _ := pem.Decode([]byte(strval(v)))
	if b != nil {
		if c, err := x509.ParseCertificate(b.Bytes); err == nil && c.IsCA {
			return v, nil
		}
	}
	return nil, errf(400, "CERTIFICATE_AUTHORITY_CRT_NOT_VALID_CA", "Field `crt` value cannot be used because it does not appear to be a Certificate Authority.")
}

func matchingKeyPair(crt, prv string) bool {
	cb, _ := pem.Decode([]byte(crt))
	pb, _ := pem.Decode([]byte(prv))
	if cb == nil || pb == nil {
		return false
	}
	c, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return false
	}
	var pub any
	if k, err := x509.ParsePKCS8PrivateKey(pb.Bytes); err == nil {
		pub = publicOf(k)
	} else if k, err := x509.ParseECPrivateKey(pb.Bytes); err == nil {
		pub = k.Public()
	} else if k, err := x509.ParsePKCS1PrivateKey(pb.Bytes); err == nil {
		pub = k.Public()
	}
	if pub == nil {
		return false
	}
	want, err1 := x509.MarshalPKIXPublicKey(c.PublicKey)
	got, err2 := x509.MarshalPKIXPublicKey(pub)
	return err1 == nil && err2 == nil && string(want) == string(got)
}

// publicOf is the public key of a parsed private key. The package takes PKCS#8 keys (BEGIN
// PRIVATE KEY: Models/Certificate.inc prv, X509Validator allow_prv) and matches them like the
// others (X509Validator::is_matching_keypair); their keys' Public returns a crypto.PublicKey.
func publicOf(k any) any {
	if s, ok := k.(crypto.Signer); ok {
		return s.Public()
	}
	return nil
}

// certInUse is pfSense's cert_in_use() (src/etc/inc/certs.inc): the web GUI over HTTPS, a
// user, an OpenVPN server or client, an IPsec phase 1 or the DNS resolver's TLS uses it.
// Captive portal and package certificates are not simulated.
func (sim *Simulator) certInUse(refid string) bool {
	if refid == "" {
		return false
	}
	gui := sim.st.Singles["WebGUISettings"]
	if gui["sslcertref"] == refid && gui["protocol"] != "http" {
		return true
	}
	if dns := sim.st.Singles["DNSResolverSettings"]; truthy(dns["enable"]) && truthy(dns["enablessl"]) && dns["sslcertref"] == refid {
		return true
	}
	for _, u := range sim.st.Lists["User"] {
		if inArray(refid, listOf(u["cert"])) {
			return true
		}
	}
	for _, mn := range []string{"OpenVPNServer", "OpenVPNClient", "IPsecPhase1"} {
		for _, o := range sim.st.Lists[mn] {
			if o["certref"] == refid {
				return true
			}
		}
	}
	return false
}

// caInUse is pfSense's ca_in_use() (src/etc/inc/certs.inc, as on master; RELENG_2_7_2's
// is_openvpn_server_ca misspells its loop variable and never matches): an OpenVPN server or
// client, an IPsec phase 1, or an LDAP server over TLS names it. Certificates it signed do not
// count: deleting the CA unlinks them (deleteHooks).
func (sim *Simulator) caInUse(refid string) bool {
	if refid == "" {
		return false
	}
	for _, mn := range []string{"OpenVPNServer", "OpenVPNClient", "IPsecPhase1"} {
		for _, o := range sim.st.Lists[mn] {
			if o["caref"] == refid {
				return true
			}
		}
	}
	for _, a := range sim.st.Lists["AuthServer"] {
		if a["ldap_caref"] == refid && a["ldap_urltype"] != "Standard TCP" {
			return true
		}
	}
	return false
}

// privilegeExists: pfSense's privileges plus the REST API's endpoint privileges.
func (sim *Simulator) privilegeExists(p string) bool {
	if pfutil.Privileges[p] {
		return true
	}
	for _, rt := range sim.routes {
		for _, method := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			for _, q := range privileges(rt, method) {
				if q == p {
					return true
				}
			}
		}
	}
	return false
}
