package simulator_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"strconv"
	"testing"
	"time"
)

// serviceCases follow the hand-written checks of smaller models (Models/<Model>.inc, the
// same logic in v2.7.1 and v2.10.0). Messages read as the client gets them (single quotes
// become backticks).
func serviceCases() []ccase {
	t := func(model, method string) string { return "Tests/APIModels" + model + "TestCase.inc " + method }
	obURL, ooURL := "/api/v2/firewall/nat/outbound/mapping", "/api/v2/firewall/nat/one_to_one/mapping"
	p1 := "/api/v2/vpn/ipsec/phase1"
	exportURL := "/api/v2/vpn/openvpn/client_export"
	shaperURL, shaperQueueURL := "/api/v2/firewall/traffic_shaper", "/api/v2/firewall/traffic_shaper/queue"
	return []ccase{
		{area: "nat", name: "an IPv4 outbound NAT target needs target_subnet of 32 or less", src: "Models/OutboundNATMapping.inc validate_target_subnet", test: t("OutboundNATMapping", "test_ipv4_targets_must_have_valid_subnet"),
			note: "target_subnet defaults to 128, so an IPv4 target without it is refused",
			steps: []step{post(obURL, `{"interface":"wan","source":"192.168.1.0/24","destination":"any","target":"198.51.100.9"}`).is(400, "OUTBOUND_NAT_MAPPING_TARGET_SUBNET_TOO_LARGE_FOR_IPV4",
				"Field `target_subnet` must be 32 or less when `target` is an IPv4 address."),
				post(obURL, `{"interface":"wan","source":"192.168.1.0/24","destination":"any","target":"198.51.100.9","target_subnet":32}`).has(`"target_subnet":32`)}},
		{area: "nat", name: "an interface-address target drops target_subnet", src: "Models/OutboundNATMapping.inc validate_target_subnet", test: t("OutboundNATMapping", "test_no_target_subnet_if_target_is_not_ip_or_alias"),
			steps: []step{post(obURL, `{"interface":"wan","source":"192.168.1.0/24","destination":"any","target":"wan:ip"}`).has(`"target_subnet":null`)}},
		{area: "nat", name: "pool options need an address or alias target", src: "Models/OutboundNATMapping.inc validate_poolopts", test: t("OutboundNATMapping", "test_poolopts_must_have_supporting_target"),
			steps: []step{post(obURL, `{"interface":"wan","source":"192.168.1.0/24","destination":"any","target":"wan:ip","poolopts":"round-robin"}`).is(400, "OUTBOUND_NAT_MAPPING_POOLOPTS_SET_WITHOUT_MULTI_HOST_TARGET",
				"Field `poolopts` cannot be set if `target` is not an IP address or alias.")}},
		{area: "nat", name: "a 1:1 external address is of ipprotocol's family", src: "Models/OneToOneNATMapping.inc validate_external", test: t("OneToOneNATMapping", "test_validate_external"),
			steps: []step{post(ooURL, `{"interface":"wan","ipprotocol":"inet","external":"2001:db8::5","source":"10.0.4.50","destination":"any"}`).is(400, "ONE_TO_ONE_NAT_MAPPING_EXTERNAL_IP_DOES_NOT_MATCH_IPPROTOCOL",
				"Field `external` is not an IP address of the IP family assigned in `ipprotocol`.")}},
		{area: "nat", name: "a 1:1 destination subnet of the other family", src: "Models/OneToOneNATMapping.inc validate_destination ; Core/Response.inc (strtoupper)", test: t("OneToOneNATMapping", "test_validate_destination"),
			note: "the package writes the id with a lower-case `destination`; Response upper-cases every id",
			steps: []step{post(ooURL, `{"interface":"wan","ipprotocol":"inet","external":"198.51.100.50","source":"10.0.4.50","destination":"2001:db8::/64"}`).is(400, "ONE_TO_ONE_NAT_MAPPING_DESTINATION_SUBNET_DOES_NOT_MATCH_IPPROTOCOL",
				"Field `destination` is not an subnet of the IP family assigned in `ipprotocol`.")}},
		{area: "services", name: "a cron job runs as an existing OS user (404)", src: "Models/CronJob.inc validate_who (posix_getpwnam)", test: t("CronJob", "test_validate_who"),
			steps: []step{post(cronURL, `{"minute":"0","hour":"3","mday":"*","month":"*","wday":"*","who":"nobody_here","command":"/usr/bin/true"}`).is(404, "CRON_JOB_WHO_USER_DOES_NOT_EXIST",
				"Field `who` must be an existing OS user. User `nobody_here` does not exist."),
				post(cronURL, `{"minute":"0","hour":"3","mday":"*","month":"*","wday":"*","who":"alice","command":"/usr/bin/true"}`).has(`"who":"alice"`)}},
		{area: "services", name: "a watchdog's description is the service's own", src: "Models/ServiceWatchdog.inc validate_description", test: t("ServiceWatchdog", "test_description_must_match_service_description"),
			steps: []step{post("/api/v2/services/service_watchdog", `{"name":"sshd","description":"my words"}`).has(`"description":"Secure Shell Daemon"`)}},
		{area: "services", name: "an IPv4 access list network has at most 32 bits", src: "Models/DNSResolverAccessListNetwork.inc validate_mask", test: t("DNSResolverAccessListNetwork", "test_validate_mask"),
			steps: []step{post("/api/v2/services/dns_resolver/access_list", `{"name":"bt_acl","action":"allow","networks":[{"network":"192.0.2.0","mask":33}]}`).is(400, "DNS_RESOLVER_ACCESS_LIST_NETWORK_MASK_EXCEEDS_MAXIMUM_IPV4",
				"Field `networks` encountered a nested validation error: Field `mask` must be `32` or less when `network` is an IPv4 address.")}},
		{area: "services", name: "a pool.ntp.org time server is a pool", src: "Models/NTPTimeServer.inc validate_type", test: t("NTPTimeServer", "test_time_server_with_auto_pool_suffix_forced_as_pool_type"),
			steps: []step{post(ntpServerURL, `{"timeserver":"2.bt.pool.ntp.org","type":"server"}`).has(`"type":"pool"`)}},
		{area: "services", name: "an NTP sha1 key is 40 hex characters", src: "Models/NTPSettings.inc validate_serverauthkey", test: t("NTPSettings", "test_serverauthkey_40_char_hex_value_with_sha1"),
			steps: []step{patch("/api/v2/services/ntp/settings", `{"serverauth":true,"serverauthalgo":"sha1","serverauthkey":"abc"}`).is(400, "NTP_SERVER_SERVERAUTHKEY_SHA1_CHARACTER_REQUIREMENT_UNMET",
				"Field `serverauthkey` must be exactly 40 characters when `serverauthalgo` is set to `sha1`.")}},
		{area: "services", name: "ntpminpoll cannot exceed ntpmaxpoll", src: "Models/NTPSettings.inc validate_extra", test: t("NTPSettings", "test_ntpminpoll_cannot_exceed_ntpmaxpoll"),
			steps: []step{patch("/api/v2/services/ntp/settings", `{"ntpminpoll":"10","ntpmaxpoll":"6"}`).is(400, "NTP_SERVER_NTPMINPOLL_GREATER_THAN_NTPMAXPOLL", "Field `ntpminpoll` cannot be greater than the `ntpmaxpoll` value.")}},
		{area: "interfaces", name: "a GRE tunnel needs a local address", src: "Models/InterfaceGRE.inc validate_extra", test: t("InterfaceGRE", "test_tunnel_local_addr_or_tunnel_local_addr6_required"),
			steps: []step{post("/api/v2/interface/gre", `{"if":"wan","remote_addr":"198.51.100.1","tunnel_remote_addr":"10.99.0.2","tunnel_remote_net":30}`).is(400, "INTERFACE_GRE_HAS_NO_LOCAL_ADDRESS",
				"GRE tunnel must have a `tunnel_local_addr` and/or `tunnel_local_addr6`.")}},
		{area: "interfaces", name: "LAGG members are device names", src: "Models/InterfaceLAGG.inc validate_members (does_interface_exist)", test: t("InterfaceLAGG", "test_member_field_must_be_real_interface"),
			steps: []step{post("/api/v2/interface/lagg", `{"members":["opt1"],"proto":"lacp"}`).is(400, "INTERFACE_LAGG_MEMBER_DOES_NOT_EXIST", "Member interface `opt1` does not exist or is invalid.")}},
		{area: "interfaces", name: "a failover master is a member", src: "Models/InterfaceLAGG.inc validate_failovermaster", test: t("InterfaceLAGG", "test_failovermaster_field_must_be_member_of_lagg"),
			steps: []step{post("/api/v2/interface/lagg", `{"members":["em2"],"proto":"failover","failovermaster":"em1"}`).is(400, "INTERFACE_LAGG_MASTER_NOT_MEMBER", "Failover master interface `em1` is not a member of the LAGG.")}},
		{area: "ipsec", name: "a phase 1 to any address needs startaction none", src: "Models/IPsecPhase1.inc validate_startaction", test: t("IPsecPhase1", "test_startaction_must_be_none_with_inaddr_any_remote_gateway"),
			note: "the default '' is refused too",
			steps: []step{patch(p1, `{"id":0,"remote_gateway":"0.0.0.0","peerid_type":"any"}`).is(400, "IPSEC_PHASE_1_NO_STARTACTION_WITH_INADDR_ANY_REMOTE_GATEWAY", "Field `startaction` must be `none` when `remote_gateway` is `0.0.0.0` or `::`."),
				patch(p1, `{"id":0,"remote_gateway":"0.0.0.0","peerid_type":"any","startaction":"none"}`).has(`"startaction":"none"`)}},
		{area: "ipsec", name: "the NAT-T port differs from the IKE port", src: "Models/IPsecPhase1.inc validate_nattport", test: t("IPsecPhase1", "test_nattport_cannot_match_ikeport"),
			steps: []step{patch(p1, `{"id":0,"ikeport":"4500","nattport":"4500"}`).is(400, "IPSEC_PHASE_1_NATTPORT_CANNOT_MATCH_IKEPORT", "Field `nattport` must be different than the `ikeport` value.")}},
		{area: "ipsec", name: "a VTI phase 2 cannot use an interface as local id", src: "Models/IPsecPhase2.inc validate_localid_type", test: t("IPsecPhase2", "test_localid_type_cannot_be_interface_while_mode_is_vti"),
			steps: []step{patch("/api/v2/vpn/ipsec/phase2", `{"id":0,"mode":"vti","localid_type":"lan","remoteid_type":"address","remoteid_address":"10.99.0.2"}`).is(400, "IPSEC_PHASE_2_LOCALID_TYPE_CANNOT_BE_INTERFACE_WITH_VTI_MODE",
				"Field `localid_type` cannot be assigned an interface value while `mode` is set to `vti`.")}},
		{area: "shaper", name: "no queues under a CODELQ shaper (422); a queue takes its parent's interface", src: "Models/TrafficShaperQueue.inc validate_extra", test: t("TrafficShaperQueue", "test_no_child_queues_when_codelq_parent"),
			steps: []step{post(shaperURL, `{"name":"codel","interface":"lan","scheduler":"CODELQ","bandwidthtype":"Mb","bandwidth":100}`),
				post(shaperQueueURL, `{"parent_id":0,"name":"q1","qlimit":50}`).is(422, "TRAFFIC_SHAPER_QUEUE_NOT_SUPPORTED_BY_PARENT_SCHEDULER",
					"Parent traffic shaper with ID `0` does not support child queues because it uses `scheduler` type `CODELQ`"),
				post(shaperURL, `{"name":"hfsc","interface":"wan","scheduler":"HFSC","bandwidthtype":"Mb","bandwidth":100}`),
				post(shaperQueueURL, `{"parent_id":1,"name":"q1","qlimit":50,"bandwidth":10}`).has(`"interface":"wan"`)}},
		{area: "shaper", name: "a queue under a percentage shaper is a percentage (422)", src: "Models/TrafficShaperQueue.inc validate_bandwidthtype", test: t("TrafficShaperQueue", "test_queue_bandwdith_type_must_match_parent_with_percent"),
			steps: []step{post(shaperURL, `{"name":"pct","interface":"lan","scheduler":"HFSC","bandwidthtype":"%","bandwidth":100}`),
				post(shaperQueueURL, `{"parent_id":0,"name":"q1","qlimit":50,"bandwidth":10,"bandwidthtype":"Mb"}`).is(422, "TRAFFIC_SHAPER_QUEUE_BANDWIDTHTYPE_MUST_MATCH_PARENT_WITH_PERCENT",
					"Field `bandwidthtype` must be set `%` when the parent`s `bandwidthtype` is set to `%`."),
				post(shaperQueueURL, `{"parent_id":0,"name":"q1","qlimit":50,"bandwidth":10,"bandwidthtype":"%"}`).has(`"bandwidthtype":"%"`)}},
		{area: "shaper", name: "queues may allot more than the parent has", src: "Models/TrafficShaperQueue.inc validated_bandwidth ; Core/Model.inc validate()", test: t("TrafficShaperQueue", "test_queues_cannot_exceed_parent_bandwidth_limits"),
			note: "the package's check is named validated_bandwidth, which Model::validate() never calls (it calls validate_<field>); the package's test calls the method directly, so through the API the sum is not checked",
			steps: []step{post(shaperURL, `{"name":"hfsc","interface":"lan","scheduler":"HFSC","bandwidthtype":"Mb","bandwidth":100}`),
				post(shaperQueueURL, `{"parent_id":0,"name":"q1","qlimit":50,"bandwidth":101,"bandwidthtype":"Mb"}`).has(`"bandwidth":101`)}},
		{area: "shaper", name: "a priority above 7 needs a PRIQ parent", src: "Models/TrafficShaperQueue.inc validate_priority", test: t("TrafficShaperQueue", "test_priority_maximum_condition"),
			steps: []step{post(shaperURL, `{"name":"cbq","interface":"lan","scheduler":"CBQ","bandwidthtype":"Mb","bandwidth":100}`),
				post(shaperQueueURL, `{"parent_id":0,"name":"q1","qlimit":50,"bandwidth":10,"priority":8}`).is(400, "TRAFFIC_SHAPER_QUEUE_PRIORITY_MAXIMUM_EXCEEDED_FOR_PARENT_SCHEDULER",
					"Field `priority` must be 7 or less while the parent`s `scheduler` is `CBQ`."),
				post(shaperURL, `{"name":"priq","interface":"wan","scheduler":"PRIQ","bandwidthtype":"Mb","bandwidth":100}`),
				post(shaperQueueURL, `{"parent_id":1,"name":"q2","qlimit":50,"priority":8}`).has(`"priority":8`)}},
		{area: "shaper", name: "an HFSC curve's m1 is a bandwidth and needs its d", src: "Models/TrafficShaperQueue.inc validate_upperlimit_m1, validate_realtime_m1, validate_linkshare_m1, is_bandwidth_string", test: t("TrafficShaperQueue", "test_upperlimit_m1_must_be_bandwidth_formatted_string ; test_realtime_m1_must_be_bandwidth_formatted_string ; test_linkshare_m1_must_be_bandwidth_formatted_string"),
			steps: []step{post(shaperURL, `{"name":"hfsc","interface":"lan","scheduler":"HFSC","bandwidthtype":"Mb","bandwidth":100}`),
				post(shaperQueueURL, `{"parent_id":0,"name":"q1","qlimit":50,"bandwidth":10,"upperlimit":true,"upperlimit_m2":"20Mb","upperlimit_m1":"fast"}`).is(400, "TRAFFIC_SHAPER_QUEUE_UPPERLIMIT_M1_INVALID_BANDWIDTH_FORMAT",
					"Field `upperlimit_m1` must be in a valid bandwidth format."),
				post(shaperQueueURL, `{"parent_id":0,"name":"q1","qlimit":50,"bandwidth":10,"realtime":true,"realtime_m2":"5Mb","realtime_m1":"10Mb"}`).is(400, "TRAFFIC_SHAPER_QUEUE_REALTIME_M1_REQUIRES_REALTIME_D",
					"Field `realtime_m1` cannot be defined without `realtime_d`."),
				post(shaperQueueURL, `{"parent_id":0,"name":"q1","qlimit":50,"bandwidth":10,"linkshare":true,"linkshare_m2":"5Mb","linkshare_m1":"1.5Gb","linkshare_d":100}`).has(`"linkshare_m1":"1.5Gb"`)}},
		{area: "haproxy", name: "a backend server's serverid is drawn from 100 to 1000", src: "Models/HAProxyBackendServer.inc serverid default rand(100, 1000) (v2.7.1), get_serverid_default (v2.10.0)", test: "",
			note: "the package tests no serverid; it does not keep the number unique (its TODO), the simulator draws one no server has",
			steps: []step{post("/api/v2/services/haproxy/backend", `{"name":"web_pool","servers":[{"name":"web1","address":"10.0.4.10","port":"80"},{"name":"web2","address":"10.0.4.11","port":"80"}]}`).then(func(t *testing.T, r result) {
				var b struct {
					Servers []struct {
						ServerID int64 `json:"serverid"`
					} `json:"servers"`
				}
				json.Unmarshal(r.env.Data, &b)
				if len(b.Servers) != 2 || b.Servers[0].ServerID == b.Servers[1].ServerID || b.Servers[0].ServerID < 100 || b.Servers[1].ServerID > 1000 {
					t.Errorf("servers = %+v, want two different serverids in 100..1000", b.Servers)
				}
			})}},
		{area: "freeradius", name: "a RADIUS client's address is of ip_version's family", src: "Models/FreeRADIUSClient.inc validate_addr", test: t("FreeRADIUSClient", "test_ip_version_mismatch"),
			note: "validate_extra then runs the freeradius3 package's freeradius_validate_clients, which the simulator does not have",
			steps: []step{post("/api/v2/services/freeradius/client", `{"addr":"2001:db8::5","shortname":"ap1","secret":"s3cret-radius"}`).is(400, "FREERADIUS_CLIENT_ADDR_IPV6_NOT_ALLOWED",
				"Field `addr` cannot be an IPv6 address when `ip_version` is set to `ipaddr`, received `2001:db8::5`."),
				post("/api/v2/services/freeradius/client", `{"addr":"192.168.1.40","ip_version":"ipv6addr","shortname":"ap1","secret":"s3cret-radius"}`).is(400, "FREERADIUS_CLIENT_ADDR_IPV4_NOT_ALLOWED",
					"Field `addr` cannot be an IPv4 address when `ip_version` is set to `ipv6addr`, received `192.168.1.40`."),
				post("/api/v2/services/freeradius/client", `{"addr":"192.168.1.40","shortname":"ap1","secret":"s3cret-radius"}`).has(`"addr":"192.168.1.40"`)}},
		{area: "freeradius", name: "a RADIUS listener's address is of ip_version's family, or *", src: "Models/FreeRADIUSInterface.inc validate_addr", test: t("FreeRADIUSInterface", "test_ip_version_mismatch"),
			steps: []step{post("/api/v2/services/freeradius/interface", `{"addr":"192.168.1.1","ip_version":"ipv6addr"}`).is(400, "FREERADIUS_INTERFACE_ADDR_IPV4_NOT_ALLOWED",
				"Field `addr` cannot be an IPv4 address when `ip_version` is set to `ipv6addr`, received `192.168.1.1`."),
				post("/api/v2/services/freeradius/interface", `{"addr":"*","ip_version":"ipv6addr"}`).has(`"addr":"*"`)}},
		{area: "openvpn", name: "a client export needs what its server needs (certificate, user) and the user's own certificate", src: "Models/OpenVPNClientExport.inc validate_server, validate_type, validate_certref", test: t("OpenVPNClientExport", "test_certref_required_for_server_tls_user ; test_username_required_for_local_database_authmode ; test_usetoken_forbidden_types ; test_certref_validation_user_cert_not_assigned_to_user"),
			note: "the server is server_tls_user with the Local Database, so it needs both; single quotes in the messages read as backticks",
			steps: []step{post(exportURL+"/config", `{"server":1}`),
				post(exportURL, `{"id":0,"server":1,"type":"confinline"}`).is(400, "OPENVPN_CLIENT_EXPORT_CERTREF_REQUIRED", "Field `certref` is required for OpenVPN server mode `server_tls_user`."),
				post(exportURL, `{"id":0,"server":1,"type":"confinline","certref":"67a1f0c2c5e6f"}`).is(400, "OPENVPN_CLIENT_EXPORT_USERNAME_REQUIRED",
					"Field `username` is required for OpenVPN server mode `server_tls_user` with authentication mode `Local Database`."),
				post(exportURL, `{"id":0,"server":1,"type":"confinline","certref":"67a1f0c2b3d4e","username":"alice"}`).is(404, "OPENVPN_CLIENT_EXPORT_USER_CERT_NOT_FOUND",
					"User `alice` is not assigned a certificate with reference ID `67a1f0c2b3d4e`."),
				post(exportURL, `{"id":0,"server":1,"type":"confinline","certref":"67a1f0c2c5e6f","username":"alice","usetoken":true}`).is(409, "OPENVPN_CLIENT_EXPORT_TYPE_USETOKEN_NOT_ALLOWED",
					"Field `usetoken` cannot be enabled for OpenVPN client export type `confinline`."),
				post(exportURL, `{"id":0,"server":1,"type":"confinline","certref":"67a1f0c2c5e6f","username":"alice"}`).has(`"binary_data"`)}},
		{area: "pki", name: "renewing keeps the key and serial unless told otherwise", src: "Models/CertificateRenew.inc _create ; pfSense src/etc/inc/certs.inc cert_renew", test: t("CertificateRenew", "test_renew_certificate_reuse ; test_renew_certificate_no_reuse"),
			note: "serials are cert_get_serial's decimal strings; the CA's serial counter advances even when the serial is kept (ca_get_next_serial runs before the reuse choice)",
			steps: []step{post("/api/v2/system/certificate/renew", `{"certref":"67a1f0c2b3d4e"}`).then(sameSerial(true)),
				post("/api/v2/system/certificate/renew", `{"certref":"67a1f0c2b3d4e","reusekey":false,"reuseserial":false}`).then(sameSerial(false)),
				post("/api/v2/system/certificate_authority/renew", `{"caref":"67a1f0c2a9b8c"}`).then(sameSerial(true))}},
		{area: "pki", name: "a certificate whose CA is not on the firewall cannot be renewed (406)", src: "Models/CertificateRenew.inc validate_certref ; pfSense src/etc/inc/certs.inc is_cert_locally_renewable", test: "",
			note: "the package tests only renewable certificates; the 406 follows validate_certref",
			steps: []step{post("/api/v2/system/certificate", foreignCertBody()),
				post("/api/v2/system/certificate/renew", `{"certref":"{prev.refid}"}`).is(406, "CERTIFICATE_RENEW_UNAVAILABLE", "Certificate with refid `{prev.refid}` is not capable of being renewed."),
				post("/api/v2/system/certificate/renew", `{"certref":"nosuchref"}`).is(404, "FOREIGN_MODEL_FIELD_VALUE_NOT_FOUND", "")}},
	}
}

// sameSerial checks a renewal's answer: the old and new serials, decimal, equal or not.
func sameSerial(same bool) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		o, n := fmt.Sprint(r.field("oldserial")), fmt.Sprint(r.field("newserial"))
		if _, err := strconv.ParseUint(o, 10, 64); err != nil {
			t.Errorf("oldserial %q is not a decimal serial", o)
		}
		if (o == n) != same {
			t.Errorf("oldserial %s, newserial %s: want same=%v", o, n, same)
		}
	}
}

// foreignCertBody is a certificate import whose issuer is not on the firewall (a CA made here
// and thrown away), with its key: not self-signed and with no CA to sign a renewal.
func foreignCertBody() string {
	caKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Elsewhere CA"}, NotBefore: now, NotAfter: now.AddDate(1, 0, 0),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "imported.example"}, NotBefore: now, NotAfter: now.AddDate(1, 0, 0)}
	der, _ := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	prv, _ := x509.MarshalPKCS8PrivateKey(key)
	body, _ := json.Marshal(map[string]any{"descr": "imported", "type": "server",
		"crt": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		"prv": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: prv}))})
	return string(body)
}
