package simulator_test

// serviceCases follow the hand-written checks of smaller models (Models/<Model>.inc, the
// same logic in v2.7.1 and v2.10.0). Messages read as the client gets them (single quotes
// become backticks).
func serviceCases() []ccase {
	t := func(model, method string) string { return "Tests/APIModels" + model + "TestCase.inc " + method }
	obURL, ooURL := "/api/v2/firewall/nat/outbound/mapping", "/api/v2/firewall/nat/one_to_one/mapping"
	p1 := "/api/v2/vpn/ipsec/phase1"
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
	}
}
