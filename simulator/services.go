package simulator

import (
	"net/netip"
	"strings"
)

// Hand-written checks of smaller models (pfSense-pkg-RESTAPI v2.7.1 Models/<Model>.inc; the
// same logic in v2.10.0): NAT mappings, cron, the service watchdog, DNS resolver access lists,
// NTP, BIND zone records, the traffic shaper, GRE, LAGG and bridge interfaces, and the IPsec
// checks not in custom.go.

// addrKind is what FilterAddressField and IPAddressValidator label a value (a leading `!` is
// stripped first): 4 or 6 for an address, and whether it is a subnet (CIDR) instead.
func addrKind(s string) (family int, subnet bool) {
	s = strings.TrimPrefix(s, "!")
	if a, err := netip.ParseAddr(s); err == nil && !strings.Contains(s, "/") {
		if a.Is4() {
			return 4, false
		}
		return 6, false
	}
	if p, err := netip.ParsePrefix(s); err == nil {
		if p.Addr().Is4() {
			return 4, true
		}
		return 6, true
	}
	return 0, false
}

// outboundNATTargetSubnet is OutboundNATMapping::validate_target_subnet: at most 32 bits for
// an IPv4 target (the field's default is 128, so an IPv4 target needs target_subnet set);
// for a target that is neither an address nor an alias (`wan:ip`) the value is dropped.
func outboundNATTargetSubnet(vc *vctx, v any) (any, *apiError) {
	target := strval(vc.obj["target"])
	fam, sub := addrKind(target)
	if fam == 4 && !sub && toInt(v) > 32 {
		return nil, errf(400, "OUTBOUND_NAT_MAPPING_TARGET_SUBNET_TOO_LARGE_FOR_IPV4", "Field `target_subnet` must be 32 or less when `target` is an IPv4 address.")
	}
	if !vc.sim.aliasExists(target, false) && (fam == 0 || sub) {
		return nil, nil
	}
	return v, nil
}

// outboundNATPoolopts is OutboundNATMapping::validate_poolopts.
func outboundNATPoolopts(vc *vctx, v any) (any, *apiError) {
	target := strval(vc.obj["target"])
	if fam, sub := addrKind(target); (fam == 0 || sub) && !vc.sim.aliasExists(target, false) {
		return nil, errf(400, "OUTBOUND_NAT_MAPPING_POOLOPTS_SET_WITHOUT_MULTI_HOST_TARGET", "Field `poolopts` cannot be set if `target` is not an IP address or alias.")
	}
	return v, nil
}

// oneToOneFamily makes OneToOneNATMapping's validate_external, validate_source and
// validate_destination: an address (and for source and destination a subnet) of the other
// family than ipprotocol is refused. idName is the field as the response ids spell it (the
// package writes `destination` in lower case there).
func oneToOneFamily(field, idName string, subnets bool) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		fam, sub := addrKind(strval(v))
		wrong := (vc.obj["ipprotocol"] == "inet" && fam == 6) || (vc.obj["ipprotocol"] == "inet6" && fam == 4)
		if !wrong || (sub && !subnets) {
			return v, nil
		}
		if sub {
			return nil, errf(400, "ONE_TO_ONE_NAT_MAPPING_"+idName+"_SUBNET_DOES_NOT_MATCH_IPPROTOCOL", "Field `%s` is not an subnet of the IP family assigned in `ipprotocol`.", field)
		}
		if field == "external" {
			return nil, errf(400, "ONE_TO_ONE_NAT_MAPPING_EXTERNAL_IP_DOES_NOT_MATCH_IPPROTOCOL", "Field `external` is not an IP address of the IP family assigned in `ipprotocol`.")
		}
		return nil, errf(400, "ONE_TO_ONE_NAT_MAPPING_"+idName+"_IP_DOES_NOT_MATCH_IPPROTOCOL", "Field `%s` is not an IP address of the IP family assigned in `ipprotocol`.", field)
	}
}

// cronJobWho is CronJob::validate_who (posix_getpwnam): an account of the firewall's
// /etc/passwd, which holds FreeBSD's accounts, admin and every local user pfSense adds.
func cronJobWho(vc *vctx, v any) (any, *apiError) {
	who := strval(v)
	if systemUsers[who] {
		return v, nil
	}
	for _, u := range vc.sim.st.Lists["User"] {
		if strval(u["name"]) == who {
			return v, nil
		}
	}
	return nil, errf(404, "CRON_JOB_WHO_USER_DOES_NOT_EXIST", "Field `who` must be an existing OS user. User `%s` does not exist.", who)
}

// watchdogDescription is ServiceWatchdog::validate_description: always the watched service's
// own description, whatever the client sent.
func watchdogDescription(vc *vctx, v any) (any, *apiError) {
	for _, s := range vc.sim.services() {
		if strval(s["name"]) == strval(vc.obj["name"]) {
			return s["description"], nil
		}
	}
	return nil, nil
}

// accessListMask is DNSResolverAccessListNetwork::validate_mask.
func accessListMask(vc *vctx, v any) (any, *apiError) {
	if fam, _ := addrKind(strval(vc.obj["network"])); fam != 6 && toInt(v) > 32 {
		return nil, errf(400, "DNS_RESOLVER_ACCESS_LIST_NETWORK_MASK_EXCEEDS_MAXIMUM_IPV4", "Field `mask` must be `32` or less when `network` is an IPv4 address.")
	}
	return v, nil
}

// ntpServerType is NTPTimeServer::validate_type: a *pool.ntp.org name is always a pool.
func ntpServerType(vc *vctx, v any) (any, *apiError) {
	if strings.HasSuffix(strval(vc.obj["timeserver"]), "pool.ntp.org") {
		return "pool", nil
	}
	return v, nil
}

// ntpAuthKey is NTPSettings::validate_serverauthkey: the key's length and form per digest
// (the sha256 length message is the package's, which names sha1).
func ntpAuthKey(vc *vctx, v any) (any, *apiError) {
	k := strval(v)
	hex := strings.Trim(strings.ToLower(k), "0123456789abcdef") == "" && k != ""
	switch vc.obj["serverauthalgo"] {
	case "md5":
		if len(k) > 20 {
			return nil, errf(400, "NTP_SERVER_SERVERAUTHKEY_EXCEEDS_MAXIMUM_LENGTH_FOR_MD5", "Field `serverauthkey` cannot contain more than 20 characters when `serverauthalgo` is `md5`.")
		}
	case "sha1":
		if len(k) != 40 {
			return nil, errf(400, "NTP_SERVER_SERVERAUTHKEY_SHA1_CHARACTER_REQUIREMENT_UNMET", "Field `serverauthkey` must be exactly 40 characters when `serverauthalgo` is set to `sha1`.")
		}
		if !hex {
			return nil, errf(400, "NTP_SERVER_SERVERAUTHKEY_MUST_BE_HEX_VALUE_SHA1", "Field `serverauthkey` must be a hex-encoded value when `serverauthalgo` is set to `sha1`.")
		}
	case "sha256":
		if len(k) != 64 {
			return nil, errf(400, "NTP_SERVER_SERVERAUTHKEY_SHA256_CHARACTER_REQUIREMENT_UNMET", "Field `serverauthkey` must be exactly 40 characters when `serverauthalgo` is set to `sha1`.")
		}
		if !hex {
			return nil, errf(400, "NTP_SERVER_SERVERAUTHKEY_MUST_BE_HEX_VALUE_SHA256", "Field `serverauthkey` must be a hex-encoded value when `serverauthalgo` is set to `sha256`.")
		}
	}
	return v, nil
}

// ntpPollOrder is NTPSettings::validate_extra: ntpminpoll not above ntpmaxpoll (both numeric;
// `omit` and empty skip the check).
func ntpPollOrder(vc *vctx) *apiError {
	lo, okLo := phpNumericString(strval(vc.obj["ntpminpoll"]))
	hi, okHi := phpNumericString(strval(vc.obj["ntpmaxpoll"]))
	if okLo && okHi && lo > hi {
		return errf(400, "NTP_SERVER_NTPMINPOLL_GREATER_THAN_NTPMAXPOLL", "Field `ntpminpoll` cannot be greater than the `ntpmaxpoll` value.")
	}
	return nil
}

// bindRecordType is BINDZoneRecord::validate_type: a reverse IPv4 zone holds NS and PTR only.
func bindRecordType(vc *vctx, v any) (any, *apiError) {
	if vc.parent != nil && toBool(vc.parent["reversev4"]) && v != "NS" && v != "PTR" {
		return nil, errf(400, "BIND_ZONE_RECORD_INVALID_REVERSE_TYPE", "Field `type` must be `NS` or `PTR` when the parent zone is a reverse zone.")
	}
	return v, nil
}

// shaperBandwidth is TrafficShaper::validate_bandwidth.
func shaperBandwidth(vc *vctx, v any) (any, *apiError) {
	if vc.obj["bandwidthtype"] == "%" && toFloat(v) > 100 {
		return nil, errf(400, "TRAFFIC_SHAPER_BANDWIDTH_EXCEED_MAXIMUM_PERCENTAGE", "Field `bandwidth` cannot exceed 100 while `bandwidthtype` is set to `%%`.")
	}
	return v, nil
}

// greLocalAddress is InterfaceGRE::validate_extra.
func greLocalAddress(vc *vctx) *apiError {
	if !toBool(strval(vc.obj["tunnel_local_addr"])) && !toBool(strval(vc.obj["tunnel_local_addr6"])) {
		return errf(400, "INTERFACE_GRE_HAS_NO_LOCAL_ADDRESS", "GRE tunnel must have a `tunnel_local_addr` and/or `tunnel_local_addr6`.")
	}
	return nil
}

// osInterfaces is pfSense's get_interface_arr: the firewall's network devices (the NICs, the
// VLAN, LAGG, bridge and GRE devices made so far, and FreeBSD's own).
func (sim *Simulator) osInterfaces() map[string]bool {
	out := map[string]bool{"lo0": true, "enc0": true, "pflog0": true, "pfsync0": true}
	for _, a := range sim.st.Lists["AvailableInterface"] {
		out[strval(a["if"])] = true
	}
	for model, field := range map[string]string{"InterfaceVLAN": "vlanif", "InterfaceLAGG": "laggif", "InterfaceBridge": "bridgeif", "InterfaceGRE": "greif"} {
		for _, o := range sim.st.Lists[model] {
			out[strval(o[field])] = true
		}
	}
	return out
}

// laggMember is InterfaceLAGG::validate_members (does_interface_exist: a device name such as
// em2, not an interface id such as opt1).
func laggMember(vc *vctx, v any) (any, *apiError) {
	if s := strval(v); s == "" || !vc.sim.osInterfaces()[s] {
		return nil, errf(400, "INTERFACE_LAGG_MEMBER_DOES_NOT_EXIST", "Member interface `%s` does not exist or is invalid.", s)
	}
	return v, nil
}

// laggFailoverMaster is InterfaceLAGG::validate_failovermaster.
func laggFailoverMaster(vc *vctx, v any) (any, *apiError) {
	if v == "auto" {
		return v, nil
	}
	for _, m := range listOf(vc.obj["members"]) {
		if strval(m) == strval(v) {
			return v, nil
		}
	}
	return nil, errf(400, "INTERFACE_LAGG_MASTER_NOT_MEMBER", "Failover master interface `%s` is not a member of the LAGG.", strval(v))
}

// assignedTo is the interface (its id) a device is assigned to, if any
// (NetworkInterface::query(if: ...)).
func (sim *Simulator) assignedTo(device string) (string, bool) {
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		if device != "" && strval(rw.obj["if"]) == device {
			return strval(rw.id), true
		}
	}
	return "", false
}

// ipsecStartAction is IPsecPhase1::validate_startaction: a phase 1 to any address (0.0.0.0 or
// ::) cannot initiate, so its start action must be `none` (the default ” is refused too).
func ipsecStartAction(vc *vctx, v any) (any, *apiError) {
	if gw := strval(vc.obj["remote_gateway"]); v != "none" && (gw == "0.0.0.0" || gw == "::") {
		return nil, errf(400, "IPSEC_PHASE_1_NO_STARTACTION_WITH_INADDR_ANY_REMOTE_GATEWAY", "Field `startaction` must be `none` when `remote_gateway` is `0.0.0.0` or `::`.")
	}
	return v, nil
}

// ipsecNATTPort is IPsecPhase1::validate_nattport (the literal strings are compared).
func ipsecNATTPort(vc *vctx, v any) (any, *apiError) {
	if strval(v) == strval(vc.obj["ikeport"]) {
		return nil, errf(400, "IPSEC_PHASE_1_NATTPORT_CANNOT_MATCH_IKEPORT", "Field `nattport` must be different than the `ikeport` value.")
	}
	return v, nil
}

// ipsecLocalIDType is IPsecPhase2::validate_localid_type.
func ipsecLocalIDType(vc *vctx, v any) (any, *apiError) {
	if v != "address" && v != "network" && vc.obj["mode"] == "vti" {
		return nil, errf(400, "IPSEC_PHASE_2_LOCALID_TYPE_CANNOT_BE_INTERFACE_WITH_VTI_MODE", "Field `localid_type` cannot be assigned an interface value while `mode` is set to `vti`.")
	}
	return v, nil
}

// ipsecNATLocalIDType is IPsecPhase2::validate_natlocalid_type: address and network do not mix.
func ipsecNATLocalIDType(vc *vctx, v any) (any, *apiError) {
	l := vc.obj["localid_type"]
	if (v == "address" && l == "network") || (v == "network" && l == "address") {
		return nil, errf(400, "IPSEC_PHASE_2_NATLOCALID_TYPE_MUST_MATCH_LOCALID_TYPE", "Field `natlocalid_type` value must match the `localid_type` value if either value is not an interface.")
	}
	return v, nil
}

// laggInUse, greInUse and bridgeInUse are the _delete checks of Models/InterfaceLAGG.inc,
// InterfaceGRE.inc and InterfaceBridge.inc: a device assigned to an interface cannot go (the
// bridge's answer is a 400 with the package's doubled "ID" and no closing backtick).
func laggInUse(sim *Simulator, req *request, rw row) *apiError {
	if id, ok := sim.assignedTo(strval(rw.obj["laggif"])); ok {
		return errf(409, "INTERFACE_LAGG_CANNOT_BE_DELETED_WHILE_IN_USE", "Cannot delete LAGG interface `%s` because it is in use by interface with ID `%s`.", strval(rw.obj["laggif"]), id)
	}
	return nil
}

func greInUse(sim *Simulator, req *request, rw row) *apiError {
	if _, ok := sim.assignedTo(strval(rw.obj["greif"])); ok {
		return errf(409, "INTERFACE_GRE_CANNOT_DELETE_WHILE_IN_USE", "Cannot delete GRE interface while it is in use.")
	}
	return nil
}

func bridgeInUse(sim *Simulator, req *request, rw row) *apiError {
	if id, ok := sim.assignedTo(strval(rw.obj["bridgeif"])); ok {
		return errf(400, "INTERFACE_BRIDGE_IN_USE", "Interface bridge cannot be deleted because it is in use by interface with ID ID `%s", id)
	}
	return nil
}

// Models/TrafficShaperQueue.inc: the queue's own checks against its parent shaper. The
// package's bandwidth check is spelled validated_bandwidth (not validate_), so the core never
// calls it: a queue may allot more than its parent has, as on a real firewall.
var shaperQueueHooks = map[string]fieldHook{
	// validate_bandwidthtype (a 422).
	"bandwidthtype": func(vc *vctx, v any) (any, *apiError) {
		if v != "%" && vc.parent != nil && vc.parent["bandwidthtype"] == "%" {
			return nil, errf(422, "TRAFFIC_SHAPER_QUEUE_BANDWIDTHTYPE_MUST_MATCH_PARENT_WITH_PERCENT", "Field `bandwidthtype` must be set `%%` when the parent's `bandwidthtype` is set to `%%`.")
		}
		return v, nil
	},
	// validate_priority: above 7 only under PRIQ.
	"priority": func(vc *vctx, v any) (any, *apiError) {
		if sched := strval(vc.parent["scheduler"]); sched != "PRIQ" && toInt(v) > 7 {
			return nil, errf(400, "TRAFFIC_SHAPER_QUEUE_PRIORITY_MAXIMUM_EXCEEDED_FOR_PARENT_SCHEDULER", "Field `priority` must be 7 or less while the parent's `scheduler` is `%s`.", sched)
		}
		return v, nil
	},
	"upperlimit_m1": shaperCurveM1("upperlimit"),
	"realtime_m1":   shaperCurveM1("realtime"),
	"linkshare_m1":  shaperCurveM1("linkshare"),
}

// shaperCurveM1 is validate_upperlimit_m1, validate_realtime_m1 and validate_linkshare_m1: a
// bandwidth string (is_bandwidth_string: a number ending in Kb, Mb, Gb or b) that needs its _d.
func shaperCurveM1(curve string) fieldHook {
	upper := strings.ToUpper(curve)
	return func(vc *vctx, v any) (any, *apiError) {
		if !isBandwidthString(strval(v)) {
			return nil, errf(400, "TRAFFIC_SHAPER_QUEUE_"+upper+"_M1_INVALID_BANDWIDTH_FORMAT", "Field `%s_m1` must be in a valid bandwidth format.", curve)
		}
		if !toBool(vc.obj[curve+"_d"]) {
			return nil, errf(400, "TRAFFIC_SHAPER_QUEUE_"+upper+"_M1_REQUIRES_"+upper+"_D", "Field `%s_m1` cannot be defined without `%s_d`.", curve, curve)
		}
		return v, nil
	}
}

// isBandwidthString is TrafficShaperQueue::is_bandwidth_string: for the first unit the value
// ends with (Kb, Mb, Gb, then b), every occurrence of it removed leaves a PHP numeric string.
func isBandwidthString(s string) bool {
	for _, unit := range []string{"Kb", "Mb", "Gb", "b"} {
		if strings.HasSuffix(s, unit) && isNumeric(strings.ReplaceAll(s, unit, "")) {
			return true
		}
	}
	return false
}

// shaperQueueExtra is TrafficShaperQueue::validate_extra: no queues under CODELQ (a 422), and
// the interface is always the parent's.
func shaperQueueExtra(vc *vctx) *apiError {
	if vc.parent == nil {
		return nil
	}
	if vc.parent["scheduler"] == "CODELQ" {
		return errf(422, "TRAFFIC_SHAPER_QUEUE_NOT_SUPPORTED_BY_PARENT_SCHEDULER", "Parent traffic shaper with ID `%s` does not support child queues because it uses `scheduler` type `CODELQ`", idString(vc.parentID))
	}
	vc.obj["interface"] = vc.parent["interface"]
	return nil
}

// radiusAddr is FreeRADIUSClient::validate_addr and FreeRADIUSInterface::validate_addr: the
// address is of ip_version's family (`*`, every address, passes for interfaces). The models'
// validate_extra run the freeradius3 package's own freeradius_validate_* checks, which only
// that package's PHP knows: not simulated.
func radiusAddr(prefix string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		s := strval(v)
		a, err := netip.ParseAddr(s)
		if s == "*" || err != nil {
			return v, nil
		}
		switch version := vc.obj["ip_version"]; {
		case a.Is4() && version == "ipv6addr":
			return nil, errf(400, prefix+"_ADDR_IPV4_NOT_ALLOWED", "Field `addr` cannot be an IPv4 address when `ip_version` is set to `ipv6addr`, received `%s`.", s)
		case !a.Is4() && version == "ipaddr":
			return nil, errf(400, prefix+"_ADDR_IPV6_NOT_ALLOWED", "Field `addr` cannot be an IPv6 address when `ip_version` is set to `ipaddr`, received `%s`.", s)
		}
		return v, nil
	}
}

// watchdogCron is the cron job the Service Watchdog package keeps while it watches anything
// (pfsense/FreeBSD-ports sysutils/pfSense-pkg-Service_Watchdog servicewatchdog.inc
// servicewatchdog_cron_job: install_cron_job(<this>, count > 0, "*/1"), whose other fields
// are install_cron_job's defaults in pfSense's services.inc).
const watchdogCron = "/usr/local/pkg/servicewatchdog_cron.php"

// syncWatchdogCron is Models/ServiceWatchdog.inc apply() (always_apply), after every write:
// the watchdog's cron job exists exactly while a watchdog does.
func (sim *Simulator) syncWatchdogCron() {
	sim.installCronJob(watchdogCron, len(sim.st.Lists["ServiceWatchdog"]) > 0, "*/1", "*")
}

// acmeRenewCron is the ACME package's renewal job (pfsense/FreeBSD-ports
// security/pfSense-pkg-acme acme.inc set_cronjob: install_cron_job(<this>, enable, "16", "3")),
// which Models/ACMESettings.inc apply() (always_apply) runs after every write.
const acmeRenewCron = `/usr/local/pkg/acme/acme_command.sh "renewall"`

// installCronJob is pfSense's install_cron_job (services.inc): one job with this command while
// active, none otherwise; the fields not given are its defaults (every day, as root).
func (sim *Simulator) installCronJob(command string, active bool, minute, hour string) {
	jobs := sim.st.Lists["CronJob"]
	out := jobs[:0:0]
	have := false
	for _, j := range jobs {
		if strval(j["command"]) == command {
			if !active || have {
				continue
			}
			have = true
		}
		out = append(out, j)
	}
	if active && !have {
		out = append(out, map[string]any{"minute": minute, "hour": hour, "mday": "*", "month": "*", "wday": "*", "who": "root", "command": command})
	}
	sim.st.Lists["CronJob"] = out
}

// trafficShaperName is Models/TrafficShaper.inc from_internal_name: a shaper is named by
// its interface's internal id.
func trafficShaperName(sim *Simulator, obj map[string]any) map[string]any {
	return withValue(obj, "name", obj["interface"])
}

// gatewayGroupProtocol is Models/RoutingGatewayGroup.inc from_internal_ipprotocol (and
// pre_apply, which stores it): the family of the first priority whose gateway exists.
func gatewayGroupProtocol(sim *Simulator, obj map[string]any) map[string]any {
	for _, pr := range listOf(obj["priorities"]) {
		if p, gw := sim.gatewayProtocol(strval(asMap(pr)["gateway"])); gw != nil && (p == "inet" || p == "inet6") {
			return withValue(obj, "ipprotocol", p)
		}
	}
	return withValue(obj, "ipprotocol", "unknown")
}

// flushTable is Models/Table.inc _delete: `pfctl -t <id> -T flush` empties the pf table, which
// stays (get_tables() still lists it); the answer is the table as it was.
func (sim *Simulator) flushTable(req *request) ([]byte, *apiError) {
	t, e := sim.resolve(req, req.params, true)
	if e != nil {
		return nil, e
	}
	if !t.hasID {
		return nil, errf(400, "MODEL_REQUIRES_ID", "Field 'id' is required.")
	}
	if e := sim.checkWrite(req, t); e != nil {
		return nil, e
	}
	rw := t.found
	rw.id = t.id
	out := sim.encodeRow(rw, req.m)
	if !req.ctl.dryRun {
		for i, o := range sim.st.Lists["Table"] {
			if mapID(o) == mapID(rw.obj) {
				sim.st.Lists["Table"][i] = withValue(o, "entries", []any{})
			}
		}
	}
	return out, nil
}

func init() {
	afterHooks["ServiceWatchdog"] = func(vc *vctx, _ map[string]any) { vc.sim.syncWatchdogCron() }
	deleteHooks["ServiceWatchdog"] = func(sim *Simulator, _ *request, _ row) { sim.syncWatchdogCron() }
	replaceHooks["ServiceWatchdog"] = func(sim *Simulator, _ *request, _ []row) { sim.syncWatchdogCron() }
	computedFields["TrafficShaper"] = trafficShaperName
	computedFields["RoutingGatewayGroup"] = gatewayGroupProtocol
	special["DELETE Table"] = (*Simulator).flushTable
}

// availablePackageInstalled is what pfSense's get_pkg_info marks installed: whether the
// package is installed now (Models/AvailablePackage.inc), after installs and removals too.
func availablePackageInstalled(sim *Simulator, obj map[string]any) map[string]any {
	installed := false
	for _, p := range sim.st.Lists["Package"] {
		installed = installed || strval(p["name"]) == strval(obj["name"])
	}
	return withValue(obj, "installed", installed)
}

// wireguardEnable is Models/WireGuardSettings.inc validate_enable: WireGuard stays on while an
// interface is assigned to one of its tunnels.
func wireguardEnable(vc *vctx, v any) (any, *apiError) {
	if m := vc.sim.models["NetworkInterface"]; v == false && m != nil {
		for _, rw := range vc.sim.rows(m) {
			if strings.HasPrefix(strval(rw.obj["if"]), "tun_wg") {
				return nil, errf(409, "WIREGUARD_SETTINGS_CANNOT_DISABLE_WITH_ACTIVE_TUNNELS",
					"Field `enable` cannot be set to `false` when WireGuard tunnels are in use by an existing pfSense interface.")
			}
		}
	}
	return v, nil
}

func init() {
	computedFields["AvailablePackage"] = availablePackageInstalled
	if fieldHooks["WireGuardSettings"] == nil {
		fieldHooks["WireGuardSettings"] = map[string]fieldHook{}
	}
	fieldHooks["WireGuardSettings"]["enable"] = wireguardEnable
}

// packageServices are the services add-on packages register in installedpackages/service, by
// package, as their XML declares them (pfsense/FreeBSD-ports: dns/pfSense-pkg-bind bind.xml,
// net/pfSense-pkg-freeradius3 freeradius.xml, net/pfSense-pkg-haproxy haproxy.xml,
// net/pfSense-pkg-WireGuard wireguard.xml), and the process the simulator runs for each.
var packageServices = map[string]struct{ name, descr, proc string }{
	"pfSense-pkg-bind":        {"named", "Bind Domain Name Service", "named"},
	"pfSense-pkg-freeradius3": {"radiusd", "FreeRADIUS Server", "radiusd"},
	"pfSense-pkg-haproxy":     {"HAProxy", "The Reliable, High Performance TCP/HTTP Load Balancer", "haproxy"},
	"pfSense-pkg-WireGuard":   {"wireguard", "WireGuard", "wireguard"},
}

// services is Models/Service.inc get_services, pfSense's get_services()
// (src/etc/inc/service-utils.inc, RELENG_2_7_2), computed at each read: first the package
// services in the order the packages were installed, as their XML declares them, with no
// `enabled` or `status` (so BooleanField reads both as false, whatever runs); then the base
// services that are configured, in get_services()'s order, with their running state: the DNS
// forwarder and resolver when enabled, NTP, syslogd, the DHCP relay and the ISC DHCP server
// when enabled, dpinger when gateways exist, IPsec when a phase 1 is enabled, sshd when SSH is,
// and one entry per enabled OpenVPN server and client ("OpenVPN server: <description>").
func (sim *Simulator) services() []map[string]any {
	running := map[string]bool{}
	for _, s := range sim.st.Lists["Service"] {
		running[strval(s["name"])] = truthy(s["status"])
	}
	var out []map[string]any
	for _, p := range sim.st.Lists["Package"] {
		if ps, ok := packageServices[strval(p["name"])]; ok {
			out = append(out, map[string]any{"name": ps.name, "description": ps.descr, "enabled": false, "status": false})
		}
	}
	base := func(name, descr string, enabled bool) {
		out = append(out, map[string]any{"name": name, "description": descr, "enabled": enabled, "status": running[name]})
	}
	if truthy(sim.st.Singles["DNSForwarderSettings"]["enable"]) {
		base("dnsmasq", "DNS Forwarder", true)
	}
	if truthy(sim.st.Singles["DNSResolverSettings"]["enable"]) {
		base("unbound", "DNS Resolver", true)
	}
	if strval(sim.st.Singles["NTPSettings"]["enable"]) != "disabled" && sim.st.Singles["NTPSettings"]["enable"] != false {
		base("ntpd", "NTP clock sync", true)
	}
	base("syslogd", "System Logger Daemon", true)
	if truthy(sim.st.Singles["DHCPRelay"]["enable"]) {
		base("dhcrelay", "ISC DHCP Relay", true)
	}
	dhcp := false
	for _, s := range sim.st.Lists["DHCPServer"] {
		dhcp = dhcp || truthy(s["enable"])
	}
	// service-utils.inc get_services: the server of the backend dhcp_is_backend() names.
	if dhcp && sim.dhcpBackend() == "isc" {
		base("dhcpd", "ISC DHCP Server", true)
	}
	if dhcp && sim.dhcpBackend() == "kea" {
		base("kea-dhcp4", "Kea DHCP Server", true)
	}
	if len(sim.st.Lists["RoutingGateway"]) > 0 || len(sim.st.Lists["RoutingGatewayStatus"]) > 0 {
		base("dpinger", "Gateway Monitoring Daemon", true)
	}
	ipsec := false
	for _, p := range sim.st.Lists["IPsecPhase1"] {
		ipsec = ipsec || !truthy(p["disabled"])
	}
	if ipsec {
		base("ipsec", "IPsec VPN", true)
	}
	if truthy(sim.st.Singles["SSH"]["enable"]) {
		base("sshd", "Secure Shell Daemon", true)
	}
	for _, mode := range []string{"server", "client"} {
		model := map[string]string{"server": "OpenVPNServer", "client": "OpenVPNClient"}[mode]
		for _, o := range sim.st.Lists[model] {
			if !truthy(o["disable"]) {
				base("openvpn", "OpenVPN "+mode+": "+strval(o["description"]), true)
			}
		}
	}
	return out
}

// serviceProcess is the process the simulator runs for a service name of the list.
func serviceProcess(name string) string {
	for _, ps := range packageServices {
		if ps.name == name {
			return ps.proc
		}
	}
	return name
}
