package simulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/synth"
)

// adminHash is a bcrypt hash of pfSense's default admin password, "pfsense".
const adminHash = "$2y$10$FUGzjmbD..T7BcJ.ECQj9OC/pQkY/NV8MJtNB0PYNuoNc1aYAqeV6"

// aliceHash is a bcrypt hash of the road warrior alice's password (written for the seed), in
// the $2y$ form pfSense stores.
const aliceHash = "$2y$10$GZ1//HN6KLkXCzKAG9UUsumNhtEpg.plIUeeL5wNxCbK45yMxeTSa"

// sensitiveFields are the fields the REST API leaves out of answers unless
// expose_sensitive_fields is set. Secrets a real firewall does return (WireGuard private
// keys, IPsec pre-shared keys, OpenVPN TLS keys, API key hashes) are not among them.
var sensitiveFields = map[string][]string{
	"User":                 {"password"},
	"Certificate":          {"prv"},
	"CertificateAuthority": {"prv"},
	"RESTAPISettings":      {"ha_sync_password"},
	"CertificateGenerate":  {"prv"},
}

// installedPackages are the add-on packages the golden VM image installs.
var installedPackages = []string{
	"pfSense-pkg-acme", "pfSense-pkg-bind", "pfSense-pkg-Cron", "pfSense-pkg-freeradius3",
	"pfSense-pkg-haproxy", "pfSense-pkg-Service_Watchdog", "pfSense-pkg-WireGuard",
	"pfSense-pkg-openvpn-client-export", "pfSense-pkg-RESTAPI",
}

// seeder builds the seed state.
type seeder struct {
	sim     *Simulator
	st      *state
	planted []string
}

// obj makes an object of a model: every field valid per the schema, then the given values.
func (sd *seeder) obj(modelName string, values map[string]any) map[string]any {
	o := map[string]any{}
	if s := sd.sim.cat.Schemas[modelName]; s != nil && s.Info != nil {
		// With the package's rules, an unset field is its default or null, as a fresh
		// firewall's config reads back (Core/Field.inc from_internal).
		for _, p := range s.Props {
			o[p.Name] = nil
			if p.F != nil && p.F.HasDefault && !p.F.ReadOnly {
				if d, ok := p.F.Default.(string); !ok || d != "<runtime-generated>" {
					o[p.Name] = cloneValue(p.F.Default)
				}
			}
			if p.F != nil && p.F.Nested != "" && p.F.Many && o[p.Name] == nil {
				o[p.Name] = []any{}
			}
		}
	} else if s != nil {
		o = synth.Blank(sd.sim.cat, s)
	}
	for k, v := range values {
		o[k] = normalizeValue(v)
	}
	return o
}

func (sd *seeder) add(modelName string, values ...map[string]any) {
	for _, v := range values {
		sd.st.Lists[modelName] = append(sd.st.Lists[modelName], sd.obj(modelName, v))
	}
}

func (sd *seeder) single(modelName string, values map[string]any) {
	o := sd.st.Singles[modelName]
	if o == nil {
		o = sd.obj(modelName, nil)
	}
	for k, v := range values {
		o[k] = normalizeValue(v)
	}
	sd.st.Singles[modelName] = o
}

func (sd *seeder) secret(s string) string {
	sd.planted = append(sd.planted, s)
	return s
}

func randomKey() string {
	b := make([]byte, 32)
	rand.Read(b)
	b[0] &= 248
	b[31] = (b[31] & 127) | 64
	return base64.StdEncoding.EncodeToString(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// list makes a JSON array; never nil, so that an empty one is saved as [] and not null.
func list(v ...any) []any {
	if v == nil {
		return []any{}
	}
	return v
}

// seed builds a realistic pfSense 2.8.1 with REST API v2.7.1: three interfaces, gateways,
// rules, NAT, DHCP with a static mapping and leases, DNS resolver overrides, the admin user,
// a CA and a certificate, WireGuard, IPsec and OpenVPN, add-on packages and status data.
func (sim *Simulator) seed() (*state, error) {
	sd := &seeder{sim: sim, st: &state{
		Lists:   map[string][]map[string]any{},
		Singles: map[string]map[string]any{},
	}}
	// Settings and status singletons start from the schema's defaults.
	for name, m := range sim.models {
		if !m.many && m.hasGet && !strings.HasSuffix(name, "Apply") {
			sd.single(name, nil)
		}
	}
	if err := sd.system(); err != nil {
		return nil, err
	}
	sd.network()
	sd.firewall()
	sd.services()
	if err := sd.vpn(); err != nil {
		return nil, err
	}
	sd.status()
	// Read-only lists (logs, tables, statuses) without a hand-written seed get one example
	// object so read-only tools always show something. No OpenVPN client is configured, so
	// its status stays empty, as on a real firewall.
	for name, m := range sim.models {
		if m.many && m.parent == nil && !m.writable && m.hasGet && len(sd.st.Lists[name]) == 0 && name != "OpenVPNClientStatus" {
			sd.add(name, sd.example(m))
		}
	}
	sd.st.Planted = sd.planted
	return sd.st, nil
}

// example is the values of a generic example object: a name for string ids and one child
// in each nested list, so that child endpoints have something to show.
func (sd *seeder) example(m *model) map[string]any {
	v := map[string]any{}
	if m.stringID {
		v["id"] = "example"
	}
	for _, p := range m.schema.Props {
		if p.ItemModel != "" {
			v[p.Name] = list(sd.obj(p.ItemModel, nil))
		}
	}
	return v
}

func (sd *seeder) system() error {
	sim := sd.sim
	sd.single("SystemHostname", map[string]any{"hostname": "pfsense", "domain": "home.arpa"})
	// Models/SystemVersion.inc get_pfsense_version reads /etc/version, /etc/version.patch and
	// /etc/version.buildtime (shellFiles); base is the version before its first dash.
	sd.single("SystemVersion", map[string]any{
		"version": "2.8.1-RELEASE", "base": "2.8.1", "patch": "0",
		"buildtime": "Wed Aug 27 14:52:23 UTC 2025",
	})
	sd.single("RESTAPIVersion", map[string]any{
		"current_version": sim.cat.APIVersion, "latest_version": sim.cat.APIVersion,
		"latest_version_release_date": "2025-09-12T16:43:19Z", "update_available": false,
		"install_version": sim.cat.APIVersion, "available_versions": list(sim.cat.APIVersion, "v2.7.0", "v2.6.0"),
	})
	methods := list("BasicAuth")
	if sim.opts.APIKey != "" {
		methods = list("BasicAuth", "KeyAuth")
	}
	sd.single("RESTAPISettings", map[string]any{
		"enabled": true, "auth_methods": methods, "expose_sensitive_fields": false,
		"allowed_interfaces": list(), "jwt_exp": int64(3600), "ha_sync_password": "",
		// The package installs with interfaces as ids (pfSense-pkg-RESTAPI info.xml), which is
		// how the simulator answers; the model's own default is descr.
		"represent_interfaces_as": "id",
	})
	sd.single("SystemDNS", map[string]any{"dnsallowoverride": true, "dnslocalhost": "local", "dnsserver": list("1.1.1.1", "9.9.9.9")})
	sd.single("SystemTimezone", map[string]any{"timezone": "Etc/UTC"})
	sd.single("WebGUISettings", map[string]any{"protocol": "https", "port": "443", "sslcertref": "67a1f0c2b3d4e"})
	// Password or key (sshdkeyonly null, Models/SSH.inc): the auth log's keyboard-interactive login.
	sd.single("SSH", map[string]any{"enable": true, "port": "22", "sshdkeyonly": nil})
	sd.single("OutboundNATMode", map[string]any{"mode": "automatic"})
	sd.single("DefaultGateway", map[string]any{"defaultgw4": "WAN_DHCP", "defaultgw6": ""})
	// What a live firewall computes (the native schema, made without one, shows 0 or nothing).
	sd.single("FirewallStatesSize", map[string]any{"maximumstates": int64(400000), "defaultmaximumstates": int64(400000), "currentstates": int64(12)})
	sd.single("CARP", map[string]any{"enable": false, "maintenance_mode": false})
	sd.single("SystemStatus", map[string]any{
		"platform": "pfSense", "serial": "0123456789abcdef", "netgate_id": "6f2a8c1d9e4b7a3c5d1e",
		"uptime": "3 Days 04 Hours 12 Minutes 09 Seconds", "bios_vendor": "SeaBIOS",
		"bios_version": "1.16.3-debian-1.16.3-2", "bios_date": "04/01/2014", "kernel_pti": false,
		"mds_mitigation": "inactive", "temp_c": 41.5, "temp_f": 106.7,
		"cpu_model": "QEMU Virtual CPU version 2.5+", "cpu_load_avg": list(0.12, 0.09, 0.08),
		"cpu_count": int64(2), "cpu_usage": 6.0, // Models/SystemStatus.inc get_cpu_usage: the last minute's load average / CPUs * 100
		"mbuf_usage": 1.2, "mem_usage": 21.4,
		"swap_usage": 0.0, "disk_usage": 14.8,
	})

	admin := sd.secret(adminHash)
	sd.add("User", map[string]any{
		"name": "admin", "password": admin, "uid": int64(0), "scope": "system",
		"priv": list("page-all"), "disabled": false, "descr": "System Administrator",
		"expires": "", "cert": list(), "authorizedkeys": "", "ipsecpsk": "",
	})
	sd.add("UserGroup",
		map[string]any{"name": "all", "gid": int64(1998), "scope": "system", "description": "All Users", "member": list(), "priv": list()},
		map[string]any{"name": "admins", "gid": int64(1999), "scope": "system", "description": "System Administrators", "member": list("admin"), "priv": list("page-all")},
	)
	if sim.opts.APIKey == "" {
		sd.add("RESTAPIKey", map[string]any{
			"descr": "automation", "username": "admin", "hash_algo": "sha256",
			"length_bytes": int64(24), "hash": sd.secret(hashKey("sha256", randomHex(24))),
		})
	}
	for _, name := range installedPackages {
		sd.add("Package", packageObject(name))
	}
	for name, info := range knownPackages {
		installed := false
		for _, n := range installedPackages {
			installed = installed || n == name
		}
		sd.add("AvailablePackage", map[string]any{
			"name": name, "shortname": info[0], "descr": info[1], "version": "1.0.0",
			"installed": installed, "deps": list(),
		})
	}
	sd.add("SystemTunable", map[string]any{"tunable": "net.inet.tcp.tso", "value": "0", "descr": "Disable TSO"})
	// pfSense's default NTP pool, and the REST API's default access list (info.xml <access_list>).
	// noselect reads as null: its condition (type other than pool) does not hold, and
	// Core/Field.inc from_internal nulls such booleans.
	sd.add("NTPTimeServer", map[string]any{"timeserver": "2.pfsense.pool.ntp.org", "type": "pool", "prefer": false, "noselect": nil})
	// The factory config's strings (pfSense-default-config: timeservers and ntpd/ispool).
	sd.st.NTP = &ntpConfig{Servers: "2.pfsense.pool.ntp.org", Pool: "2.pfsense.pool.ntp.org"}
	sd.add("RESTAPIAccessListEntry",
		map[string]any{"type": "allow", "weight": int64(10), "network": "0.0.0.0/0", "users": list(), "sched": "", "descr": "Default allow all IPv4"},
		map[string]any{"type": "allow", "weight": int64(10), "network": "0::/0", "users": list(), "sched": "", "descr": "Default allow all IPv6"})
	return sd.pki()
}

// pki makes a CA and a server certificate signed by it (ECDSA P-256: quick to make for every
// simulator a test starts, where RSA 2048 keys would add a tenth of a second each).
func (sd *seeder) pki() error {
	now := sd.sim.opts.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("CA key: %w", err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "pfSense Internal CA", Organization: []string{"Home"}},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.AddDate(10, 0, 0), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return fmt.Errorf("CA certificate: %w", err)
	}
	srvKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("server key: %w", err)
	}
	srvTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "pfsense.home.arpa"},
		DNSNames: []string{"pfsense.home.arpa"}, NotBefore: now.Add(-24 * time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	srvDER, err := x509.CreateCertificate(rand.Reader, srvTmpl, caTmpl, &srvKey.PublicKey, caKey)
	if err != nil {
		return fmt.Errorf("server certificate: %w", err)
	}
	pemOf := func(typ string, der []byte) string {
		return strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})))
	}
	caPrv, err := x509.MarshalECPrivateKey(caKey)
	if err != nil {
		return err
	}
	srvPrv, err := x509.MarshalECPrivateKey(srvKey)
	if err != nil {
		return err
	}
	// alice, the OpenVPN road warrior of vpn() (server_tls_user: a user certificate and a
	// password of the local database).
	userKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return fmt.Errorf("user key: %w", err)
	}
	userTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "alice"},
		NotBefore: now.Add(-24 * time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	userDER, err := x509.CreateCertificate(rand.Reader, userTmpl, caTmpl, &userKey.PublicKey, caKey)
	if err != nil {
		return fmt.Errorf("user certificate: %w", err)
	}
	userPrv, err := x509.MarshalECPrivateKey(userKey)
	if err != nil {
		return err
	}
	sd.add("CertificateAuthority", map[string]any{
		"descr": "pfSense Internal CA", "refid": "67a1f0c2a9b8c", "trust": true, "randomserial": true,
		"serial": int64(4), "crt": pemOf("CERTIFICATE", caDER), "prv": sd.secret(pemOf("EC PRIVATE KEY", caPrv)),
	})
	sd.add("Certificate", map[string]any{
		"descr": "webConfigurator default", "refid": "67a1f0c2b3d4e", "caref": "67a1f0c2a9b8c", "type": "server",
		"csr": "", "crt": pemOf("CERTIFICATE", srvDER), "prv": sd.secret(pemOf("EC PRIVATE KEY", srvPrv)),
	})
	sd.add("Certificate", map[string]any{
		"descr": "alice (road warrior)", "refid": "67a1f0c2c5e6f", "caref": "67a1f0c2a9b8c", "type": "user",
		"csr": "", "crt": pemOf("CERTIFICATE", userDER), "prv": sd.secret(pemOf("EC PRIVATE KEY", userPrv)),
	})
	sd.add("User", map[string]any{
		"name": "alice", "password": sd.secret(aliceHash), "uid": int64(2000), "scope": "user",
		"priv": list(), "disabled": false, "descr": "Alice (OpenVPN road warrior)",
		"expires": "", "cert": list("67a1f0c2c5e6f"), "authorizedkeys": "", "ipsecpsk": "",
	})
	return nil
}

func (sd *seeder) network() {
	sd.add("NetworkInterface",
		map[string]any{"id": "wan", "if": "em0", "enable": true, "descr": "WAN", "typev4": "dhcp", "ipaddr": "dhcp",
			"subnet": int64(24), "blockpriv": true, "blockbogons": false, "typev6": "dhcp6", "ipaddrv6": "dhcp6",
			"subnetv6": int64(64), "gateway": nil, "gatewayv6": nil, "spoofmac": "", "mtu": nil, "mss": nil},
		map[string]any{"id": "lan", "if": "em1", "enable": true, "descr": "LAN", "typev4": "static", "ipaddr": "192.168.1.1",
			"subnet": int64(24), "blockpriv": false, "blockbogons": false, "typev6": "none", "ipaddrv6": "",
			"subnetv6": int64(64), "gateway": nil, "gatewayv6": nil, "spoofmac": "", "mtu": nil, "mss": nil},
		map[string]any{"id": "opt1", "if": "em2", "enable": true, "descr": "DMZ", "typev4": "static", "ipaddr": "10.0.4.1",
			"subnet": int64(24), "blockpriv": false, "blockbogons": false, "typev6": "none", "ipaddrv6": "",
			"subnetv6": int64(64), "gateway": nil, "gatewayv6": nil, "spoofmac": "", "mtu": nil, "mss": nil},
	)
	sd.add("AvailableInterface",
		map[string]any{"if": "em0", "mac": "52:54:00:00:00:01", "dmesg": "Intel(R) Legacy PRO/1000 MT 82540EM", "in_use_by": "wan"},
		map[string]any{"if": "em1", "mac": "52:54:00:00:00:02", "dmesg": "Intel(R) Legacy PRO/1000 MT 82540EM", "in_use_by": "lan"},
		map[string]any{"if": "em2", "mac": "52:54:00:00:00:03", "dmesg": "Intel(R) Legacy PRO/1000 MT 82540EM", "in_use_by": "opt1"},
		// A spare NIC, as most firewalls have one: assigning it is how a guest or IoT network starts.
		map[string]any{"if": "em3", "mac": "52:54:00:00:00:04", "dmesg": "Intel(R) Legacy PRO/1000 MT 82540EM", "in_use_by": nil},
	)
	sd.add("RoutingGateway",
		map[string]any{"name": "WAN_DHCP", "descr": "Interface WAN_DHCP Gateway", "interface": "wan", "ipprotocol": "inet",
			"gateway": "10.0.2.2", "monitor": "10.0.2.2", "disabled": false},
		map[string]any{"name": "DMZ_GW", "descr": "Upstream router on the DMZ", "interface": "opt1", "ipprotocol": "inet",
			"gateway": "10.0.4.254", "monitor": "10.0.4.254", "disabled": false},
	)
	sd.add("StaticRoute", map[string]any{"network": "172.16.50.0/24", "gateway": "DMZ_GW", "descr": "Lab network behind the DMZ router", "disabled": false})
}

func (sd *seeder) firewall() {
	sd.add("FirewallAlias",
		map[string]any{"name": "web_servers", "type": "host", "descr": "Public web servers", "address": list("10.0.4.10", "10.0.4.11"), "detail": list("web1", "web2")},
		map[string]any{"name": "admin_nets", "type": "network", "descr": "Networks allowed to administer", "address": list("192.168.1.0/24"), "detail": list("LAN")},
		map[string]any{"name": "web_ports", "type": "port", "descr": "HTTP and HTTPS", "address": list("80", "443"), "detail": list("http", "https")},
	)
	rule := func(v map[string]any) map[string]any {
		base := map[string]any{"ipprotocol": "inet", "icmptype": nil, "source_port": nil, "destination_port": nil,
			"disabled": false, "log": false, "tag": "", "statetype": "keep state", "tcp_flags_any": false,
			"tcp_flags_out_of": nil, "tcp_flags_set": nil, "gateway": nil, "sched": nil, "dnpipe": nil, "pdnpipe": nil,
			"defaultqueue": nil, "ackqueue": nil, "floating": false, "quick": nil, "direction": nil,
			"associated_rule_id": nil, "created_time": int64(1756300000), "created_by": "admin@192.168.1.100 (Local Database)",
			"updated_time": int64(1756300000), "updated_by": "admin@192.168.1.100 (Local Database)"}
		for k, x := range v {
			base[k] = x
		}
		return base
	}
	sd.add("FirewallRule",
		rule(map[string]any{"type": "pass", "interface": list("lan"), "protocol": nil, "source": "lan", "destination": "any",
			"descr": "Default allow LAN to any rule", "tracker": int64(1700000001)}),
		rule(map[string]any{"type": "pass", "interface": list("wan"), "protocol": "tcp", "source": "any", "destination": "web_servers",
			"destination_port": "web_ports", "descr": "NAT Allow web to DMZ", "tracker": int64(1700000002), "log": true,
			"associated_rule_id": "nat_6750a1b2c3d4e"}),
		rule(map[string]any{"type": "block", "interface": list("opt1"), "protocol": nil, "source": "opt1", "destination": "lan",
			"descr": "Block DMZ to LAN", "tracker": int64(1700000003), "log": true}),
		// The road warriors of vpn() reach their servers through these (pfSense adds no rule
		// for an OpenVPN or WireGuard listener by itself).
		rule(map[string]any{"type": "pass", "interface": list("wan"), "protocol": "udp", "source": "any", "destination": "wan:ip",
			"destination_port": "1194", "descr": "OpenVPN Road warriors", "tracker": int64(1700000004)}),
		rule(map[string]any{"type": "pass", "interface": list("wan"), "protocol": "udp", "source": "any", "destination": "wan:ip",
			"destination_port": "51820", "descr": "WireGuard Road warriors", "tracker": int64(1700000005)}),
	)
	sd.add("PortForward", map[string]any{
		"interface": "wan", "ipprotocol": "inet", "protocol": "tcp", "source": "any", "source_port": nil,
		"destination": "wan:ip", "destination_port": "443", "target": "10.0.4.10", "local_port": "443",
		"disabled": false, "nordr": false, "nosync": false, "descr": "HTTPS to web1", "natreflection": nil,
		"associated_rule_id": "nat_6750a1b2c3d4e", "created_time": int64(1756300000),
		"created_by": "admin@192.168.1.100 (Local Database)", "updated_time": int64(1756300000),
		"updated_by": "admin@192.168.1.100 (Local Database)",
	})
}

func (sd *seeder) services() {
	sd.add("DHCPServer", map[string]any{
		"id": "lan", "interface": "lan", "enable": true, "range_from": "192.168.1.100", "range_to": "192.168.1.199",
		"domain": "home.arpa", "gateway": "192.168.1.1", "dnsserver": list("192.168.1.1"), "failover_peerip": "",
		"mac_allow": list(), "mac_deny": list(), "domainsearchlist": list(), "winsserver": list(), "ntpserver": list(),
		"denyunknown": nil, "pool": list(), "numberoptions": list(),
		"staticmap": list(sd.obj("DHCPServerStaticMapping", map[string]any{
			"mac": "52:54:00:12:34:56", "ipaddr": "192.168.1.10", "cid": "", "hostname": "nas", "domain": "",
			"descr": "File server", "domainsearchlist": list(), "dnsserver": list(), "winsserver": list(),
			"ntpserver": list(), "gateway": "", "arp_table_static_entry": false,
		})),
	})
	// Leases of dhcpd's default two hours, the laptop's renewed at the DHCPACK of the log (48
	// minutes ago, see status()); times as dhcpd.leases writes them.
	now := sd.sim.opts.Now().UTC()
	leaseTime := func(d time.Duration) string { return now.Add(d).Format("2006/01/02 15:04:05") }
	sd.add("DHCPServerLease",
		map[string]any{"ip": "192.168.1.10", "mac": "52:54:00:12:34:56", "hostname": "nas", "if": "lan",
			"starts": leaseTime(-70 * time.Minute), "ends": leaseTime(50 * time.Minute), "active_status": "active", "online_status": "active/online", "descr": "File server"},
		map[string]any{"ip": "192.168.1.101", "mac": "3c:22:fb:9a:10:7e", "hostname": "laptop", "if": "lan",
			"starts": leaseTime(-48 * time.Minute), "ends": leaseTime(72 * time.Minute), "active_status": "active", "online_status": "active/online", "descr": ""},
	)
	sd.single("DNSResolverSettings", map[string]any{
		"enable": true, "port": "53", "enablessl": false, "active_interface": list("all"), "outgoing_interface": list("all"),
		"dnssec": true, "forwarding": false, "regdhcp": false, "regdhcpstatic": true, "custom_options": "",
	})
	sd.add("DNSResolverHostOverride", map[string]any{
		"host": "nas", "domain": "home.arpa", "ip": list("192.168.1.10"), "descr": "File server",
		"aliases": list(sd.obj("DNSResolverHostOverrideAlias", map[string]any{"host": "files", "domain": "home.arpa", "descr": ""})),
	})
	sd.add("DNSResolverDomainOverride", map[string]any{"domain": "corp.example", "ip": "10.0.4.53", "descr": "Lab DNS", "forward_tls_upstream": false, "tls_hostname": ""})
	// The processes that run: GET /status/services is computed from the configuration and
	// these (services.go). BIND, FreeRADIUS and HAProxy are installed but off.
	for _, p := range []struct {
		name string
		on   bool
	}{
		{"unbound", true}, {"dhcpd", true}, {"sshd", true}, {"ntpd", true}, {"dpinger", true}, {"syslogd", true},
		{"wireguard", true}, {"openvpn", true}, {"haproxy", false}, {"named", false}, {"radiusd", false}, {"ipsec", true},
	} {
		sd.add("Service", map[string]any{"name": p.name, "status": p.on})
	}
	sd.add("CronJob", map[string]any{"minute": "1,31", "hour": "0-5", "mday": "*", "month": "*", "wday": "*", "who": "root",
		"command": "/usr/bin/nice -n20 adjkerntz -a"})
}

func (sd *seeder) vpn() error {
	tunKey := sd.secret(randomKey())
	peerPSK := sd.secret(randomKey())
	sd.add("WireGuardTunnel", map[string]any{
		"name": "tun_wg0", "enabled": true, "descr": "Road warriors", "listenport": "51820",
		"privatekey": tunKey, "publickey": wireguardPublic(tunKey), "mtu": int64(1420),
		"addresses": list(sd.obj("WireGuardTunnelAddress", map[string]any{"address": "10.6.210.1", "mask": int64(24), "descr": "Tunnel address"})),
	})
	sd.add("WireGuardPeer", map[string]any{
		"enabled": true, "tun": "tun_wg0", "endpoint": nil, "port": "51820", "descr": "Alice's laptop",
		"persistentkeepalive": int64(25), "publickey": wireguardPublic(randomKey()), "presharedkey": peerPSK,
		"allowedips": list(sd.obj("WireGuardPeerAllowedIP", map[string]any{"address": "10.6.210.2", "mask": int64(32), "descr": "Alice"})),
	})
	sd.single("WireGuardSettings", map[string]any{"enable": true})
	// The package's install hook adds this group; its tunnels join it when they start, and
	// rules on it match every tunnel (pfsense/FreeBSD-ports net/pfSense-pkg-WireGuard
	// wg_install.inc wg_ifgroup_install, wg_globals.inc ifgroupentry).
	sd.add("InterfaceGroup", map[string]any{"ifname": "WireGuard", "descr": "WireGuard Interface Group (DO NOT EDIT/DELETE!)", "members": list()})
	psk := sd.secret(randomHex(20))
	sd.add("IPsecPhase1", map[string]any{
		"ikeid": int64(1), "descr": "Branch office", "disabled": false, "iketype": "ikev2", "mode": "main", "protocol": "inet",
		"interface": "wan", "remote_gateway": "198.51.100.20", "authentication_method": "pre_shared_key",
		"myid_type": "myaddress", "myid_data": "", "peerid_type": "peeraddress", "peerid_data": "", "pre_shared_key": psk,
		"certref": "", "caref": "", "startaction": "", "closeaction": "",
		"encryption": list(sd.obj("IPsecPhase1Encryption", map[string]any{
			"encryption_algorithm_name": "aes", "encryption_algorithm_keylen": int64(256), "hash_algorithm": "sha256",
			"dhgroup": int64(14), "prf_algorithm": "sha256"})),
	})
	sd.add("IPsecPhase2", map[string]any{"ikeid": int64(1), "uniqid": "6750a1b2c3d4f", "reqid": int64(1), "descr": "Branch LAN",
		"mode": "tunnel", "disabled": false, "localid_type": "lan", "localid_address": nil, "localid_netbits": nil,
		"hash_algorithm_option": list("hmac_sha256"),
		"remoteid_type":         "network", "remoteid_address": "172.20.0.0", "remoteid_netbits": int64(16), "protocol": "esp",
		"pfsgroup": int64(14), "lifetime": int64(3600),
		"encryption_algorithm_option": list(sd.obj("IPsecPhase2Encryption", map[string]any{"name": "aes", "keylen": int64(256)}))})
	var tls strings.Builder
	tls.WriteString("-----BEGIN OpenVPN Static key V1-----\n")
	for i := 0; i < 16; i++ {
		tls.WriteString(randomHex(16) + "\n")
	}
	tls.WriteString("-----END OpenVPN Static key V1-----")
	sd.add("OpenVPNServer", map[string]any{
		"vpnid": int64(1), "vpnif": "ovpns1", "description": "Road warriors", "disable": false, "mode": "server_tls_user",
		"authmode": list("Local Database"), "dev_mode": "tun", "protocol": "UDP4", "interface": "wan", "local_port": "1194",
		"use_tls": true, "tls": sd.secret(tls.String()), "tls_type": "auth", "caref": "67a1f0c2a9b8c", "certref": "67a1f0c2b3d4e",
		"dh_length": "2048", "ecdh_curve": "none", "data_ciphers": list("AES-256-GCM", "CHACHA20-POLY1305"),
		"data_ciphers_fallback": "AES-256-CBC", "digest": "SHA256", "tunnel_network": "10.8.0.0/24", "tunnel_networkv6": "",
		"local_network": list("192.168.1.0/24"), "maxclients": nil, "connlimit": nil, "sndrcvbuf": nil,
	})
	// alice connected when the OpenVPN log says (20 minutes ago, see status()).
	connected := sd.sim.opts.Now().Add(-20 * time.Minute).UTC()
	sd.add("OpenVPNServerStatus", map[string]any{"name": "Road warriors UDP4:1194", "mode": "server_tls_user", "port": "1194",
		"vpnid": int64(1), "mgmt": "server1",
		"conns": list(sd.obj("OpenVPNServerConnectionStatus", map[string]any{
			"common_name": "alice", "remote_host": "198.51.100.77:50412", "virtual_addr": "10.8.0.2", "virtual_addr6": "",
			"bytes_recv": int64(182733), "bytes_sent": int64(991822), "connect_time": connected.Format(time.DateTime),
			"connect_time_unix": connected.Unix(), "user_name": "alice", "client_id": int64(0), "peer_id": int64(0), "cipher": "AES-256-GCM"})),
		"routes": list(sd.obj("OpenVPNServerRouteStatus", map[string]any{
			"common_name": "alice", "remote_host": "198.51.100.77:50412", "virtual_addr": "10.8.0.2", "last_time": sd.sim.opts.Now().Add(-30 * time.Second).UTC().Format(time.DateTime)})),
	})
	sd.add("Table",
		map[string]any{"id": "bogons", "entries": list("0.0.0.0/8", "100.64.0.0/10", "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")},
		map[string]any{"id": "sshguard", "entries": list()},
		map[string]any{"id": "virusprot", "entries": list()},
		map[string]any{"id": "web_servers", "entries": list("10.0.4.10", "10.0.4.11")},
	)
	return nil
}

func (sd *seeder) status() {
	stats := func(name, descr, hw, mac, ip, subnet, gw string, in, out int64) map[string]any {
		return map[string]any{"name": name, "descr": descr, "hwif": hw, "macaddr": mac, "mtu": "1500", "enable": true,
			"status": "up", "ipaddr": ip, "subnet": subnet, "linklocal": "", "ipaddrv6": "", "subnetv6": "",
			"inerrs": int64(0), "outerrs": int64(0), "collisions": int64(0), "inbytes": in, "inbytespass": in,
			"outbytes": out, "outbytespass": out, "inpkts": in / 900, "inpktspass": in / 900, "outpkts": out / 700,
			"outpktspass": out / 700, "dhcplink": "", "media": "1000baseT <full-duplex>", "gateway": gw, "gatewayv6": ""}
	}
	sd.add("InterfaceStats",
		stats("wan", "WAN", "em0", "52:54:00:00:00:01", "10.0.2.15", "24", "10.0.2.2", 918273645, 123456789),
		stats("lan", "LAN", "em1", "52:54:00:00:00:02", "192.168.1.1", "24", "", 223344556, 887766554),
		stats("opt1", "DMZ", "em2", "52:54:00:00:00:03", "10.0.4.1", "24", "", 5566778, 3344556),
	)
	// WAN takes its address by DHCP: pfSense's get_interface_info() (pfsense-utils.inc) says
	// whether dhclient holds a lease, as "dhcplink".
	for _, st := range sd.st.Lists["InterfaceStats"] {
		if st["name"] == "wan" {
			st["dhcplink"] = "up"
		}
	}
	sd.add("RoutingGatewayStatus",
		map[string]any{"name": "WAN_DHCP", "srcip": "10.0.2.15", "monitorip": "10.0.2.2", "delay": 0.412, "stddev": 0.087, "loss": 0.0, "status": "online", "substatus": "none"},
		map[string]any{"name": "DMZ_GW", "srcip": "10.0.4.1", "monitorip": "10.0.4.254", "delay": 0.0, "stddev": 0.0, "loss": 100.0, "status": "down", "substatus": "highloss"},
	)
	// The kernel's ARP cache (seconds left in expires): what is read is network.go arpTable,
	// prepare_ARP_table()'s view of it (src/usr/local/pfSense/include/www/diag_arp.inc).
	sd.add("ARPTable",
		map[string]any{"hostname": "?", "ip_address": "192.168.1.10", "mac_address": "52:54:00:12:34:56", "interface": "LAN", "type": "ethernet", "permanent": false, "dnsresolve": "", "expires": "1185"},
		map[string]any{"hostname": "?", "ip_address": "10.0.2.2", "mac_address": "52:55:0a:00:02:02", "interface": "WAN", "type": "ethernet", "permanent": false, "dnsresolve": "", "expires": "1134"},
		// The hosts the rest of the seed shows talking: the admin's workstation (the logins),
		// the laptop (its lease) and the web server (the state and the log lines).
		map[string]any{"hostname": "?", "ip_address": "192.168.1.100", "mac_address": "3c:22:fb:9a:10:01", "interface": "LAN", "type": "ethernet", "permanent": false, "dnsresolve": "", "expires": "1192"},
		map[string]any{"hostname": "?", "ip_address": "192.168.1.101", "mac_address": "3c:22:fb:9a:10:7e", "interface": "LAN", "type": "ethernet", "permanent": false, "dnsresolve": "", "expires": "977"},
		map[string]any{"hostname": "?", "ip_address": "10.0.4.10", "mac_address": "52:54:00:0a:04:10", "interface": "DMZ", "type": "ethernet", "permanent": false, "dnsresolve": "", "expires": "1201"},
	)
	sd.add("FirewallState", map[string]any{"interface": "wan", "protocol": "tcp", "direction": "in",
		"source": "203.0.113.5:51514", "destination": "10.0.4.10:443", "state": "ESTABLISHED:ESTABLISHED",
		"age": "00:07:02", "expires_in": "23:59:58", "packets_total": int64(42), "packets_in": int64(20), "packets_out": int64(22),
		"bytes_total": int64(18211), "bytes_in": int64(4012), "bytes_out": int64(14199)})
	// Log lines in syslog's BSD format (RFC 3164, pfSense's default log format), oldest first
	// as Models/*Log.inc read them (ModelTraits/LogFileModelTraits.inc read_log), ending now.
	at := func(ago time.Duration) string { return sd.sim.opts.Now().Add(-ago).Format("Jan _2 15:04:05") }
	sd.add("SystemLog",
		map[string]any{"text": at(3*24*time.Hour+4*time.Hour) + " pfsense syslogd: kernel boot file is /boot/kernel/kernel"},
		map[string]any{"text": at(3*24*time.Hour+4*time.Hour-13*time.Second) + " pfsense php-fpm[412]: /rc.start_packages: Restarting/Starting all packages."},
		map[string]any{"text": at(25*time.Minute) + " pfsense sshd[2211]: Accepted keyboard-interactive/pam for admin from 192.168.1.100 port 51122 ssh2"},
		map[string]any{"text": at(2*time.Minute) + " pfsense php-fpm[412]: /index.php: Successful login for user 'admin' from: 192.168.1.100 (Local Database)"},
	)
	// filterlog CSV: rule number, sub rule, anchor, tracker, interface, reason, action,
	// direction, IP version, then the IPv4 header and TCP fields (pfSense's filter log format).
	sd.add("FirewallLog",
		map[string]any{"text": at(9*time.Minute) + " pfsense filterlog[5521]: 5,,,1000000103,em0,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,203.0.113.9,10.0.2.15,40122,22,0,S,1234,,64240,,mss;sackOK;TS;nop;wscale"},
		map[string]any{"text": at(7*time.Minute) + " pfsense filterlog[5521]: 62,,,1700000002,em0,match,pass,in,4,0x0,,64,0,0,DF,6,tcp,60,203.0.113.5,10.0.4.10,51514,443,0,S,99,,64240,,mss"},
		map[string]any{"text": at(40*time.Second) + " pfsense filterlog[5521]: 64,,,1700000003,em2,match,block,in,4,0x0,,64,0,0,DF,6,tcp,60,10.0.4.10,192.168.1.10,50322,445,0,S,77,,64240,,mss"},
	)
	sd.add("OpenVPNLog",
		map[string]any{"text": at(20*time.Minute) + " pfsense openvpn[6120]: 198.51.100.77:50412 [alice] Peer Connection Initiated with [AF_INET]198.51.100.77:50412"},
		map[string]any{"text": at(20*time.Minute-time.Second) + " pfsense openvpn[6120]: alice/198.51.100.77:50412 MULTI_sva: pool returned IPv4=10.8.0.2, IPv6=(Not enabled)"},
	)
	sd.add("IPsecSAStatus", map[string]any{
		"con_id": "con1", "uniqueid": int64(3), "version": int64(2), "state": "ESTABLISHED",
		"local_host": "10.0.2.15", "local_port": "4500", "local_id": "10.0.2.15",
		"remote_host": "198.51.100.20", "remote_port": "4500", "remote_id": "198.51.100.20",
		"initiator_spi": "c4a8e2f1d9b07a13", "responder_spi": "5e7f10b2c3d4a596", "nat_remote": false, "nat_any": true,
		"encr_alg": "AES_CBC", "encr_keysize": int64(256), "integ_alg": "HMAC_SHA2_256_128", "prf_alg": "PRF_HMAC_SHA2_256",
		"dh_group": "MODP_2048", "established": int64(5021), "rekey_time": int64(20388),
		"child_sas": list(sd.obj("IPsecChildSAStatus", map[string]any{
			"name": "con1_1", "uniqueid": int64(7), "reqid": int64(1), "state": "INSTALLED", "mode": "TUNNEL", "protocol": "ESP",
			"encap": true, "spi_in": "c1f0a2b3", "spi_out": "0d9e8f7a", "encr_alg": "AES_CBC", "encr_keysize": int64(256),
			"integ_alg": "HMAC_SHA2_256_128", "dh_group": "MODP_2048", "bytes_in": int64(1884211), "bytes_out": int64(920112),
			"packets_in": int64(2311), "packets_out": int64(1907), "use_in": int64(2), "use_out": int64(2),
			"rekey_time": int64(2811), "life_time": int64(3419), "install_time": int64(181),
			"local_ts": list("192.168.1.0/24"), "remote_ts": list("172.20.0.0/16")})),
	})
	sd.add("DHCPLog",
		map[string]any{"text": at(48*time.Minute) + " pfsense dhcpd[3301]: DHCPREQUEST for 192.168.1.101 from 3c:22:fb:9a:10:7e (laptop) via em1"},
		map[string]any{"text": at(48*time.Minute) + " pfsense dhcpd[3301]: DHCPACK on 192.168.1.101 to 3c:22:fb:9a:10:7e (laptop) via em1"})
	sd.add("AuthLog", map[string]any{"text": at(25*time.Minute) + " pfsense sshd[2211]: Accepted keyboard-interactive/pam for admin from 192.168.1.100 port 51122 ssh2"})
	sd.add("RESTAPILog", map[string]any{"text": at(time.Minute) + " pfsense php-fpm[412]: /api/v2/firewall/rules: Client 192.168.1.100 is attempting to authenticate using Key."})
	// The running config's revision, and the backups of the configs before it, newest first,
	// as pfSense's get_backups lists them. An API write is described as
	// make_config_revision_entry writes it (user@address, no auth source: the REST API sets no
	// $_SESSION authsource) with Core/Model.inc write_config's note, which starts with a space.
	sd.st.Revision = map[string]any{"time": int64(1763719200), "description": "admin@192.168.1.100:  Modified Firewall Rule via API", "version": "24.0", "filesize": int64(38604)}
	sd.add("ConfigHistoryRevision",
		map[string]any{"time": int64(1763715600), "description": "admin@192.168.1.100:  Added Firewall Alias via API", "version": "24.0", "filesize": int64(38419)},
		map[string]any{"time": int64(1763712000), "description": "admin@192.168.1.100 (Local Database): Firewall: Rules - saved", "version": "24.0", "filesize": int64(38211)},
	)
}
