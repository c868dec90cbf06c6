package simulator_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"regexp"
	"strings"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"
)

// vpnCases translate the package's tests of IPsec encryption proposals and SA status, OpenVPN
// servers, ciphers and client exports, WireGuard tunnels, peers and tunnel addresses, CAs,
// certificates, CSRs, CRLs, PKCS#12 exports and ACME account keys (pfSense-pkg-RESTAPI v2.7.1
// Tests/APIModels<Model>TestCase.inc) that no case named yet. The tests build the models in PHP;
// each case sends the same data to the model's endpoint. The seed's CA 67a1f0c2a9b8c, its
// webConfigurator certificate 67a1f0c2b3d4e, alice's certificate 67a1f0c2c5e6f, phase 1 id 0,
// OpenVPN server 1 (server_tls_user, Local Database, port 1194) and tunnel tun_wg0 (port 51820)
// stand in for the objects the tests make. Checks of swanctl.conf, config.ovpn, `wg show`,
// ifconfig and the trust store are left out; where such a test sets values, the case checks
// that they are taken and read back, and what another endpoint shows.
func vpnCases() []ccase {
	t := func(model, methods string) string { return "Tests/APIModels" + model + "TestCase.inc " + methods }
	p1, p1enc := "/api/v2/vpn/ipsec/phase1", "/api/v2/vpn/ipsec/phase1/encryption"
	ovs, ovc, export := "/api/v2/vpn/openvpn/server", "/api/v2/vpn/openvpn/client", "/api/v2/vpn/openvpn/client_export"
	wg, wgPeer, wgAddr := "/api/v2/vpn/wireguard/tunnel", "/api/v2/vpn/wireguard/peer", "/api/v2/vpn/wireguard/tunnel/address"
	ca, cert, crl := "/api/v2/system/certificate_authority", "/api/v2/system/certificate", "/api/v2/system/crl"
	avail := "/api/v2/interface/available_interfaces"
	expose := patch("/api/v2/system/restapi/settings", `{"expose_sensitive_fields":true}`)
	exportConfig := post(export+"/config", `{"server":1}`)
	binary := "Accept: application/octet-stream"

	// Tests/APIModelsIPsecPhase1EncryptionTestCase.inc BASE_P1_DATA, and its test_crud proposals.
	p1Body := `{"iketype":"ikev2","protocol":"inet","interface":"wan","remote_gateway":"1.2.3.4","authentication_method":"pre_shared_key",` +
		`"myid_type":"myaddress","peerid_type":"peeraddress","pre_shared_key":"testkey","encryption":[` +
		`{"encryption_algorithm_name":"aes","encryption_algorithm_keylen":256,"hash_algorithm":"sha256","dhgroup":14},` +
		`{"encryption_algorithm_name":"chacha20poly1305","hash_algorithm":"sha512","dhgroup":24}]}`
	p1Enc := func(name, keylen string) string {
		return `{"parent_id":0,"encryption_algorithm_name":"` + name + `","encryption_algorithm_keylen":` + keylen + `,"hash_algorithm":"sha256","dhgroup":14}`
	}

	// APIModelsOpenVPNServerTestCase::$base_data with the seed's CA and certificate; the seed's
	// server holds 1194 and the update takes 1195, so the new server starts on 1196.
	tlsKey := `-----BEGIN OpenVPN Static key V1-----\n3fb6fd5d4ea3c3a9a7c5b3c0f1f0e1d2\nc156599dd8e8fa6f6c14d8dab06eba06\n5d5def55dafb7a1c7b61b1b41d2603fb\n` +
		`a3576dd854a6c06b1e19a373b156c86b\n9ada052feeb3dc2e898311cf05e4ff2d\n0fbddca5a3c2526ac25434770707c133\n7c937779dbc72ee3ac54fa269a6e5d17\n` +
		`f26f2de1bcebf290209f790643d20c3b\n1854e125c55ff6a0990c816a640259b1\ndfeb8c494c1cbd6dda548bc49e1e02bc\n0c7dbb312a72379fc3b2c3620449e940\n` +
		`75d6e3209d8ff2dc384fe235f83770b8\n7e11ec17fc267da53bdd9c1ddb3567f5\n8a5d05c4b2abe712f3bfa062e07312f4\ne8f21634707a52aaa5d488e1e0ff7e2d\n` +
		`67657efbdb9f538c0a9b55a4a6b8f2f5\n-----END OpenVPN Static key V1-----\n`
	ovsBody := `{"mode":"p2p_tls","dev_mode":"tun","protocol":"UDP4","interface":"wan","use_tls":true,"tls":"` + tlsKey + `","tls_type":"auth",` +
		`"dh_length":"2048","ecdh_curve":"none","data_ciphers":["AES-256-GCM"],"data_ciphers_fallback":"AES-256-GCM","digest":"SHA256",` +
		`"caref":"67a1f0c2a9b8c","certref":"67a1f0c2b3d4e","local_port":"1196"}`
	ovsUpdate := `"dev_mode":"tap","protocol":"TCP4","interface":"lan","local_port":"1195","dh_length":"8192","digest":"SHA512",` +
		`"data_ciphers":["AES-256-GCM","AES-128-GCM"],"data_ciphers_fallback":"CHACHA20-POLY1305","tunnel_network":"10.1.2.0/24","allow_compression":"yes"`
	// APIModelsOpenVPNClientTestCase base_data (dh_length, no field of the client, left out)
	ovcBody := func(ciphers string) string {
		return `{"mode":"p2p_tls","dev_mode":"tun","protocol":"UDP4","interface":"wan","server_addr":"example.com","server_port":"1194","tls":"` + tlsKey +
			`","tls_type":"auth","data_ciphers":` + ciphers + `,"data_ciphers_fallback":"AES-256-GCM","digest":"SHA256","caref":"67a1f0c2a9b8c","certref":"67a1f0c2b3d4e"}`
	}
	// alice holds certificate 67a1f0c2c5e6f; the export's id is the export configuration made first
	exportBody := func(over string) string {
		return vcMerge(`{"id":0,"server":1,"type":"confinline","username":"alice","certref":"67a1f0c2c5e6f"}`, over)
	}

	// Tests/APIModelsCertificateAuthorityGenerateTestCase.inc's CAs
	caGen := func(over string) string {
		return vcMerge(`{"descr":"test_ca","trust":true,"randomserial":true,"is_intermediate":false,"keytype":"RSA","keylen":2048,"digest_alg":"sha256",`+
			`"lifetime":3650,"dn_country":"US","dn_state":"UT","dn_city":"Salt Lake City","dn_organization":"ACME Org","dn_organizationalunit":"IT"}`, over)
	}
	certGen := func(caref string) string {
		return `{"descr":"testcert","caref":"` + caref + `","keytype":"RSA","keylen":2048,"digest_alg":"sha256","lifetime":3650,"type":"user","dn_commonname":"testcert.example.com"}`
	}
	// Tests/APIModelsCertificateSigningRequestTestCase.inc's CSR
	csrBody := `{"descr":"test_csr","keytype":"RSA","keylen":2048,"digest_alg":"sha256","dn_country":"US","dn_state":"CA","dn_city":"San Francisco",` +
		`"dn_organization":"ACME Corp","dn_organizationalunit":"IT","lifetime":3650,"dn_commonname":"test.example.com"}`
	// Tests/APIModelsCertificateRevocationListTestCase.inc EXAMPLE_CRL
	exampleCRL := "-----BEGIN X509 CRL-----\nMIIB2jCBwwIBATANBgkqhkiG9w0BAQUFADAWMRQwEgYDVQQDEwtpbnRlcm5hbC1j\nYRcNMjQwNDI0MjIwMjE1WhcNMjYwNDI0MjIwMjE1WjAiMCACAQIXDTI0MDQyNDIy\n" +
		"MDIxNVowDDAKBgNVHRUEAwoBCaBVMFMwRQYDVR0jBD4wPIAUJUzC5CblbCq8FU3k\nhWe8eqZlPZehGqQYMBYxFDASBgNVBAMTC2ludGVybmFsLWNhgggtyC2VhQuYKjAK\n" +
		"BgNVHRQEAwIBAzANBgkqhkiG9w0BAQUFAAOCAQEAXqs/3gBtZFxt5sKVj/ek1N1J\ntAFEc18IMOaWVpc+HasQ5Kvi04ygfE0BWq5oXT9xi7aQfLZLHV2kpk8thdo8DMRo\n" +
		"ezyZg2VnwovVPwmV/TnpXsRehBvo4pXXVq+REIhKLQW1SgfqfftEhEe0B2B5eK0U\nIVN7BoJK2k0uypahNxUR1ob1LXtr74j1nfH5wLLF6nitwX6ujj2O9ge6zAQS8eBN\n" +
		"sJ2heugpAOP3tLQrMgGw6M9XBPjVBsnErVgRu11OJnUttL7kUgWcrTlaOYhPqvYx\nO2KYIqqr1w7O0epy0oKKZSHlwQoIOy8S1CNCIrFiYx4BJ9Gq34cjZ/OpkQPijQ==\n-----END X509 CRL-----"
	crlExisting, _ := json.Marshal(map[string]any{"descr": "test_existing_ca", "caref": "67a1f0c2a9b8c", "method": "existing", "text": exampleCRL})

	// values one step keeps for a later one (a case's steps run in order)
	saved := map[string]any{}
	keep := func(names ...string) func(t *testing.T, r result) {
		return func(t *testing.T, r result) {
			for _, n := range names {
				saved[n] = r.field(n)
			}
		}
	}

	// The CSR is generated, then signed outside the firewall (the test runs openssl with its own
	// CA; here vpnxSignCSR with vpnxCACRT), and the certificate is written to the CSR's object.
	completeCSR := vpnxChain([]step{
		post(cert+"/signing_request", csrBody).has(`"csr":"-----BEGIN CERTIFICATE REQUEST-----`),
		patch(cert, "").then(vpnxEmpty("csr")).has(`"crt":"-----BEGIN CERTIFICATE-----`),
		get(cert+"?id=2").then(vpnxEmpty("csr")).has(`"descr":"test_csr"`, `"crt":"-----BEGIN CERTIFICATE-----`),
	}, 1, vpnxSignCSR)

	return []ccase{
		// --- IPsecPhase1Encryption ---
		{area: "models", name: "a phase 1 proposal's key length is one its algorithm offers: AES 128 to 256, AES-GCM 64 to 128, ChaCha20 none", src: "Models/IPsecPhase1Encryption.inc validate_encryption_algorithm_keylen, get_supported_keylens, get_keylen_enabled_algos (keylen conditions) ; pfSense ipsec.inc $p1_ealgos",
			test: t("IPsecPhase1Encryption", "test_validate_encryption_algorithm_keylen ; test_get_supported_keylens ; test_get_keylen_enabled_algos ; test_get_support_keylens_name_must_support_key_lengths"),
			note: "the GCM lengths are ICV lengths (keysel 64-128 step 32), so the 256 an AES-256-GCM user may send is refused; ChaCha20 has no keysel, the length's condition is unmet and it is dropped. get_supported_keylens's own error for an unknown algorithm is not reachable: the name's choices fail first",
			steps: []step{post(p1enc, p1Enc("aes", "300")).is(400, "IPSEC_PHASE_1_ENCRYPTION_ALGORITHM_KEYLEN_INVALID_CHOICE", "Field `encryption_algorithm_keylen` value `300` is not valid for `aes` algorithm."),
				post(p1enc, p1Enc("aes", "256")).sub(`{"encryption_algorithm_name":"aes","encryption_algorithm_keylen":256}`),
				post(p1enc, p1Enc("aes256gcm", "256")).is(400, "IPSEC_PHASE_1_ENCRYPTION_ALGORITHM_KEYLEN_INVALID_CHOICE", "Field `encryption_algorithm_keylen` value `256` is not valid for `aes256gcm` algorithm."),
				post(p1enc, p1Enc("aes256gcm", "96")).sub(`{"encryption_algorithm_name":"aes256gcm","encryption_algorithm_keylen":96}`),
				post(p1enc, p1Enc("chacha20poly1305", "256")).sub(`{"encryption_algorithm_name":"chacha20poly1305","encryption_algorithm_keylen":null}`),
				post(p1enc, p1Enc("blowfish", "128")).is(400, "FIELD_INVALID_CHOICE", "Field `encryption_algorithm_name` must be one of [aes, aes128gcm, aes192gcm, aes256gcm, chacha20poly1305]")}},
		{area: "models", name: "a phase 1 takes several proposals, a keyless ChaCha20 one among them, and PRF selection", src: "Models/IPsecPhase1.inc encryption (NestedModelField IPsecPhase1Encryption), prfselect_enable ; Models/IPsecPhase1Encryption.inc prf_algorithm (default sha256)",
			test: t("IPsecPhase1Encryption", "test_crud"),
			note: "the test reads the proposals line of swanctl.conf; here the proposals and the PRF switch are read back",
			steps: []step{post(p1, p1Body).sub(`{"encryption":[{"encryption_algorithm_name":"aes","encryption_algorithm_keylen":256,"hash_algorithm":"sha256","dhgroup":14,"prf_algorithm":"sha256"},` +
				`{"encryption_algorithm_name":"chacha20poly1305","encryption_algorithm_keylen":null,"hash_algorithm":"sha512","dhgroup":24,"prf_algorithm":"sha256"}],"prfselect_enable":false}`),
				patch(p1, `{"id":1,"prfselect_enable":true}`).sub(`{"prfselect_enable":true}`),
				get(p1 + "?id=1").sub(`{"prfselect_enable":true,"encryption":[{"encryption_algorithm_name":"chacha20poly1305","dhgroup":24}]}`)}},

		// --- IPsecSAStatus, IPsecChildSAStatus ---
		{area: "models", name: "IPsec SA status counters read as integers, NAT and encapsulation flags as booleans, traffic selectors as lists", src: "Models/IPsecSAStatus.inc, Models/IPsecChildSAStatus.inc (IntegerField, BooleanField, PortField, StringField many) ; get_ipsec_sa_statuses",
			test:  t("IPsecSAStatus", "test_read") + " ; " + t("IPsecChildSAStatus", "test_read"),
			note:  "the tests mock strongSwan's list-sas answer; here the types are checked on whatever SAs the firewall lists, their child SAs included (none when no tunnel is up; /status/ipsec/child_sas needs an existing parent, so it is not asked)",
			steps: []step{get("/api/v2/status/ipsec/sas").then(vpnxSATypes)}},

		// --- OpenVPNServer, OpenVPNClient ---
		{area: "crud", name: "an OpenVPN server is created, reconfigured and deleted, its ovpns interface with it", src: "Models/OpenVPNServer.inc (fields, apply, _delete) ; Models/AvailableInterface.inc get_all_avail_interfaces (ovpns<vpnid> per server)",
			test: t("OpenVPNServer", "test_crud"),
			note: "the test reads config.ovpn and runs ifconfig ovpns<vpnid>; here the values are read back and the interface is looked for among the available interfaces. tap mode drops topology (its condition is dev_mode tun)",
			steps: []step{post(ovs, ovsBody).sub(`{"vpnid":2,"vpnif":"ovpns2","local_port":"1196","dev_mode":"tun","topology":"subnet","allow_compression":"no"}`),
				get(avail).has(`"if":"ovpns2"`),
				patch(ovs, `{"id":1,`+ovsUpdate+`}`).sub(`{"id":1,` + ovsUpdate + `,"topology":null}`),
				get(ovs + "?id=1").sub(`{"dev_mode":"tap","protocol":"TCP4","interface":"lan","local_port":"1195","dh_length":"8192","digest":"SHA512","data_ciphers":["AES-256-GCM","AES-128-GCM"]}`),
				del(ovs + "?id=1"),
				get(avail).not(`"if":"ovpns2"`).has(`"if":"ovpns1"`),
				get("/api/v2/vpn/openvpn/servers").not(`"vpnif":"ovpns2"`)}},
		{area: "fields", name: "OpenVPN data ciphers are ciphers the installed OpenVPN offers", src: "Models/OpenVPNServer.inc get_available_cipher_choices ; Models/OpenVPNClient.inc get_available_cipher_choices (pfSense openvpn.inc openvpn_get_cipherlist) ; Core/Field.inc check_value_choice",
			test: t("OpenVPNServer", "test_get_available_cipher_choices") + " ; " + t("OpenVPNClient", "test_get_available_cipher_choices"),
			note: "the tests only ask for a non-empty list; the list is the installed OpenVPN's (so the message, which lists it, is not checked), and a made-up name is never in it",
			steps: []step{patch(ovs, `{"id":0,"data_ciphers":["NOT-A-CIPHER"]}`).is(400, "FIELD_INVALID_CHOICE", ""),
				patch(ovs, `{"id":0,"data_ciphers_fallback":"NOT-A-CIPHER"}`).is(400, "FIELD_INVALID_CHOICE", ""),
				post(ovc, ovcBody(`["NOT-A-CIPHER"]`)).is(400, "FIELD_INVALID_CHOICE", ""),
				patch(ovs, `{"id":0,"data_ciphers":["AES-128-GCM"],"data_ciphers_fallback":"AES-128-CBC"}`).sub(`{"data_ciphers":["AES-128-GCM"],"data_ciphers_fallback":"AES-128-CBC"}`),
				post(ovc, ovcBody(`["AES-256-GCM","CHACHA20-POLY1305"]`)).sub(`{"data_ciphers":["AES-256-GCM","CHACHA20-POLY1305"]}`)}},

		// --- OpenVPNClientExport ---
		{area: "models", name: "an inline OpenVPN client export is the client's config with its CA, certificate and key, remote and DNS options", src: "Models/OpenVPNClientExport.inc _create, export_config (useaddr_hostname ?? useaddr, blockoutsidedns) ; openvpn-client-export openvpn_client_export_config",
			test: t("OpenVPNClientExport", "test_create ; test_export_config_inline ; test_create_with_server_tls_user_and_local_database"),
			note: "the seed's server is server_tls_user with the Local Database (the regression test's setup); the export is not stored, so a second one with other options answers a new config",
			steps: []step{exportConfig,
				get("/api/v2/system/certificate_authority?id=0").then(keep("crt")),
				get(cert + "?id=1").then(func(t *testing.T, r result) { saved["user_crt"] = r.field("crt") }),
				post(export, exportBody(`{"blockoutsidedns":true,"useaddr":"other","useaddr_hostname":"ovpn.example.com"}`)).
					has("remote ovpn.example.com", "block-outside-dns", "PRIVATE KEY-----").then(vpnxExportHolds(saved, "crt", "user_crt")),
				post(export, exportBody(`{"blockoutsidedns":false,"useaddr":"other","useaddr_hostname":"new.ovpn.example.com"}`)).
					has("remote new.ovpn.example.com").not("block-outside-dns")}},
		{area: "content", name: "a zip OpenVPN client export downloads as a file", src: "Models/OpenVPNClientExport.inc _create (is_file: filename, binary_data), validate_type (USETOKEN_FORBIDDEN_TYPES), __get_export_filename ; ContentHandlers/BinaryContentHandler.inc _encode",
			test: t("OpenVPNClientExport", "test_export_config_zip"),
			note: "binary exports need Accept application/octet-stream (the endpoint's help text); the file name is <host>-<proto>-<port>-<user> and the type's suffix (-config.zip). The installers (test_export_installer, -Win10.exe) wrap OpenVPN's Windows installer, which the simulator does not have: not simulated (README)",
			steps: []step{exportConfig,
				post(export, exportBody(`{"type":"confzip","usetoken":false}`)).hdr(binary).is(200, "", "").then(vpnxDownload(`-config.zip"`, "PK\x03\x04"))}},

		// --- WireGuardTunnel, WireGuardPeer, WireGuardTunnelAddress ---
		{area: "crud", name: "a WireGuard tunnel is created, rekeyed and deleted; its listen port is unique", src: "Models/WireGuardTunnel.inc (listenport PortField unique, validate_extra wg_gen_publickey, apply)",
			test: t("WireGuardTunnel", "test_crud"),
			note: "the test's update takes port 51820, which the seed's tun_wg0 holds, so it is refused and 51821 taken; the public keys are the X25519 keys of the test's private keys",
			steps: []step{post(wg, `{"privatekey":"KG0BA4UyPilHH5qnXCfr6Lw8ynecOPor88tljLy3AHk=","listenport":"55000","descr":"test"}`).
				sub(`{"id":1,"name":"tun_wg1","listenport":"55000","descr":"test","publickey":"SHRPJKc1SLByfYd3r1mwlUnPGe3ziNTXNJt3XgDMHB8="}`).not(`"privatekey"`),
				patch(wg, `{"id":1,"privatekey":"GNdQw+ujEIVgys4B2dDCXcBpiiQsNd2bAq5hnTp+smg=","listenport":"51820"}`).is(400, "FIELD_MUST_BE_UNIQUE",
					"Field `listenport` must be unique. Value is in use by object with ID `0`."),
				patch(wg, `{"id":1,"privatekey":"GNdQw+ujEIVgys4B2dDCXcBpiiQsNd2bAq5hnTp+smg=","listenport":"51821"}`).
					sub(`{"listenport":"51821","publickey":"aFyuBHLxiAHJrnFk0sOqH9y09LDfobGUcdpLvK2GzmI=","descr":"test"}`),
				del(wg + "?id=1"),
				get("/api/v2/vpn/wireguard/tunnels").not(`"name":"tun_wg1"`).has(`"name":"tun_wg0"`)}},
		{area: "crud", name: "a WireGuard peer is created, updated with an endpoint and deleted; its pre-shared key is never answered", src: "Models/WireGuardPeer.inc (port condition !endpoint null, presharedkey write_only (v2.7.1) / sensitive (v2.10.0), validate_presharedkey)",
			test: t("WireGuardPeer", "test_crud ; test_validate_presharedkey"),
			note: "the test reads `wg showconf`; here the values are read back. The port is null until an endpoint is set. An empty pre-shared key is taken (test_validate_presharedkey)",
			steps: []step{post(wg, `{"privatekey":"GNdQw+ujEIVgys4B2dDCXcBpiiQsNd2bAq5hnTp+smg=","listenport":"51822"}`).sub(`{"name":"tun_wg1"}`),
				post(wgPeer, `{"enabled":true,"tun":"tun_wg1","persistentkeepalive":200,"publickey":"KG0BA4UyPilHH5qnXCfr6Lw8ynecOPor88tljLy3AHk=","presharedkey":"zppaKHpHl5tvjbwuYh8uTc8lfyzfLYg3IBrwn9yCFsc="}`).
					sub(`{"id":1,"enabled":true,"tun":"tun_wg1","persistentkeepalive":200,"publickey":"KG0BA4UyPilHH5qnXCfr6Lw8ynecOPor88tljLy3AHk=","endpoint":null,"port":null}`).not("zppaKHpHl5tvjbwuYh8uTc8lfyzfLYg3IBrwn9yCFsc="),
				patch(wgPeer, `{"id":1,"persistentkeepalive":80,"publickey":"KJoyFoK5PB5bua5ipRmzijghBSw37bffuuZ2wUN3/Dw=","presharedkey":"8O+HvB+YG8uPA9E/NJpuBUpGgHU1lHBses6Wzb37Ziw=","endpoint":"1.2.3.4","port":"12345"}`).
					sub(`{"persistentkeepalive":80,"publickey":"KJoyFoK5PB5bua5ipRmzijghBSw37bffuuZ2wUN3/Dw=","endpoint":"1.2.3.4","port":"12345"}`).not("8O+HvB+YG8uPA9E"),
				patch(wgPeer, `{"id":1,"presharedkey":""}`).sub(`{"endpoint":"1.2.3.4"}`),
				del(wgPeer + "?id=1"),
				get("/api/v2/vpn/wireguard/peers").not("KJoyFoK5PB5bua5ipRmzijghBSw37bffuuZ2wUN3").has(`"tun":"tun_wg0"`)}},
		{area: "crud", name: "a WireGuard tunnel address is added, changed and removed under its tunnel", src: "Models/WireGuardTunnelAddress.inc (parent WireGuardTunnel, config_path addresses/row) ; Models/WireGuardTunnel.inc addresses",
			test: t("WireGuardTunnelAddress", "test_crud"),
			note: "the test reads the tunnel's inet lines in ifconfig; here the tunnel's addresses are read back",
			steps: []step{post(wg, `{"privatekey":"KG0BA4UyPilHH5qnXCfr6Lw8ynecOPor88tljLy3AHk=","listenport":"55000"}`).sub(`{"id":1,"addresses":[]}`),
				post(wgAddr, `{"parent_id":1,"address":"10.168.1.1","mask":24}`).sub(`{"parent_id":1,"id":0,"address":"10.168.1.1","mask":24}`),
				patch(wgAddr, `{"parent_id":1,"id":0,"address":"10.170.1.1","mask":32}`).sub(`{"parent_id":1,"id":0,"address":"10.170.1.1","mask":32}`),
				get(wg + "?id=1").sub(`{"addresses":[{"address":"10.170.1.1","mask":32}]}`).not("10.168.1.1"),
				del(wgAddr + "?parent_id=1&id=0"),
				get(wg + "?id=1").sub(`{"addresses":[]}`)}},

		// --- CertificateAuthorityGenerate, CertificateAuthority ---
		{area: "models", name: "a generated CA is a CA certificate with a matching 2048-bit RSA or prime256v1 key and its DN", src: "Models/CertificateAuthorityGenerate.inc generate_ca (pfSense certs.inc ca_create), to_x509_dn, dn_commonname (default internal-ca)",
			test: t("CertificateAuthorityGenerate", "test_generate_rsa_certificate_authority ; test_generate_ecdsa_certificate_authority"),
			note: "prv is sensitive: read with expose_sensitive_fields; ca_create gives a new CA serial 1",
			steps: []step{expose,
				post(ca+"/generate", caGen(`{}`)).sub(`{"descr":"test_ca","serial":1,"dn_commonname":"internal-ca","keytype":"RSA","keylen":2048}`).then(vpnxGeneratedCA("RSA")),
				post(ca+"/generate", caGen(`{"keytype":"ECDSA","ecname":"prime256v1"}`)).sub(`{"keytype":"ECDSA","ecname":"prime256v1","keylen":null}`).then(vpnxGeneratedCA("ECDSA"))}},
		{area: "models", name: "an intermediate CA is signed by its root, whose serial advances", src: "Models/CertificateAuthorityGenerate.inc generate_intermediate_ca (pfSense certs.inc ca_inter_create: ++serial of the signing CA), caref (condition is_intermediate)",
			test: t("CertificateAuthorityGenerate", "test_generate_intermediate_certificate_authority"),
			note: "the root's serial is 1 after ca_create and 2 once it signed the intermediate",
			steps: []step{expose,
				post(ca+"/generate", caGen(`{"descr":"root_ca"}`)).sub(`{"serial":1,"is_intermediate":false,"caref":null}`).then(keep("crt")),
				post(ca+"/generate", caGen(`{"descr":"intermediate_ca","is_intermediate":true,"caref":"{prev.refid}"}`)).sub(`{"descr":"intermediate_ca","is_intermediate":true}`).then(vpnxSignedBy(saved, "crt")),
				get("/api/v2/system/certificate_authorities?refid={prev.caref}").sub(`{"descr":"root_ca","serial":2}`)}},
		{area: "relations", name: "deleting a CA deletes its CRLs and unlinks the certificates it signed", src: "Models/CertificateAuthority.inc _delete (del_config cert/<id>/caref, crl/<id>) ; Models/Certificate.inc caref (default null)",
			note: "no package test checks these side effects (the tests only delete what they made); from the source. The certificate stays, with caref null",
			steps: []step{post(ca+"/generate", caGen(`{}`)).sub(`{"id":1}`),
				post(cert+"/generate", certGen("{prev.refid}")).sub(`{"id":2}`),
				post(crl, `{"descr":"test_crl","caref":"{prev.caref}","method":"internal"}`).sub(`{"id":0}`),
				del(ca + "?id=1"),
				get("/api/v2/system/crls").has(`"data":[]`),
				get(cert + "?id=2").sub(`{"descr":"testcert","caref":null}`)}},

		// --- Certificate, CertificateSigningRequest, CertificateSigningRequestSign ---
		{area: "relations", name: "an imported certificate is linked to the CA whose subject is its issuer", src: "Models/Certificate.inc _create (pfSense certs.inc cert_import: lookup_ca_by_subject of the issuer)",
			test: t("Certificate", "test_certificate_is_relinked_to_ca_on_create"),
			note: "the test deletes a generated certificate and imports it again; here a fixed CA and a certificate it signed (vpnxCACRT, vpnxLeafCRT) are imported, the certificate first without its CA and then with it",
			steps: []step{post(cert, vpnxImport("testcert", vpnxLeafCRT, vpnxLeafKey)).sub(`{"descr":"testcert","caref":null}`),
				post(ca, vpnxImport("vx_relink_ca", vpnxCACRT, vpnxCAKey)).sub(`{"descr":"vx_relink_ca"}`),
				post(cert, vpnxImport("testcert", vpnxLeafCRT, vpnxLeafKey)).sub(`{"descr":"testcert"}`),
				get("/api/v2/system/certificate_authorities?refid={prev.caref}").sub(`{"descr":"vx_relink_ca"}`)}},
		{area: "models", name: "a CSR is completed by writing the signed certificate to its certificate object, which drops the CSR", src: "Models/CertificateSigningRequest.inc generate_csr (csr_generate) ; Models/Certificate.inc _update (csr = null), validate_prv",
			test:  t("CertificateSigningRequest", "test_generate_and_complete_csr"),
			note:  "the CSR is object 2 after the seed's two certificates; the certificate must match the key generated with the CSR (validate_prv on the whole object)",
			steps: completeCSR},
		{area: "models", name: "signing a CSR advances the signing CA's serial", src: "Models/CertificateSigningRequestSign.inc sign_csr (set_config ca/<id>/serial + 1)",
			test: t("CertificateSigningRequestSign", "test_sign"),
			note: "the test signs a generated CSR with a generated CA; here the X509Validator test's CSR with the seed's CA",
			steps: []step{get(ca + "?id=0").then(keep("serial")),
				post(cert+"/signing_request/sign", coreSignBody(coreX509CSR)).has(`"crt":"-----BEGIN CERTIFICATE-----`),
				get(ca + "?id=0").then(vpnxSerialAdvanced(saved))}},
		{area: "models", name: "a signed CSR's certificate keeps no CSR", src: "Models/CertificateSigningRequestSign.inc csr (representation_only) ; Models/Certificate.inc csr",
			test: t("CertificateSigningRequestSign", "test_sign"),
			note: "the test's comment says the CSR value is removed; csr is representation_only, so it is in the sign answer but never written, and the certificate reads none",
			steps: []step{post(cert+"/signing_request/sign", coreSignBody(coreX509CSR)).has(`"crt":"-----BEGIN CERTIFICATE-----`),
				get(cert + "?id={prev.id}").has(`"crt":"-----BEGIN CERTIFICATE-----`).not("BEGIN CERTIFICATE REQUEST").then(vpnxEmpty("csr"))}},
		{area: "content", name: "a PKCS#12 export with a passphrase opens with it, and with no other", src: "Models/CertificatePKCS12Export.inc _create (pfSense certs.inc cert_pkcs12_export), filename (<refid>.p12) ; ContentHandlers/BinaryContentHandler.inc _encode",
			test:  t("CertificatePKCS12Export", "test_create_with_pass"),
			steps: []step{post(cert+"/pkcs12/export", `{"certref":"67a1f0c2b3d4e","encryption":"high","passphrase":"testpass"}`).hdr(binary).is(200, "", "").then(vpnxPKCS12("67a1f0c2b3d4e", "testpass"))}},

		// --- CertificateRevocationList ---
		{area: "crud", name: "internal and existing CRLs are created and deleted; an internal CRL is generated, an existing one stored", src: "Models/CertificateRevocationList.inc _create (to_x509_crl for internal), descr (unique), lifetime, serial, text (conditions method)",
			test: t("CertificateRevocationList", "test_create_and_delete ; test_to_x509_crl"),
			note: "the test imports its own CA; here the seed's. An existing CRL has no lifetime or serial (their condition is method internal)",
			steps: []step{post(crl, `{"descr":"test_internal_ca","caref":"67a1f0c2a9b8c","method":"internal","lifetime":730,"serial":1}`).
				sub(`{"descr":"test_internal_ca","method":"internal","lifetime":730,"serial":1}`).has(`"text":"-----BEGIN X509 CRL-----`),
				post(crl, string(crlExisting)).sub(`{"descr":"test_existing_ca","method":"existing","lifetime":null,"serial":null}`).has("MIIB2jCBwwIBATANBgkqhkiG9w0BAQUFADAWMRQwEgYDVQQDEwtpbnRlcm5hbC1j"),
				post(crl, `{"descr":"test_existing_ca","caref":"67a1f0c2a9b8c","method":"internal"}`).is(400, "FIELD_MUST_BE_UNIQUE", "Field `descr` must be unique. Value is in use by object with ID `1`."),
				get("/api/v2/system/crls").then(coreCount(2)),
				del(crl + "?id=1"), del(crl + "?id=0"),
				get("/api/v2/system/crls").has(`"data":[]`)}},

		// --- ACMEAccountKey ---
		{area: "fields", name: "an ACME account key's server is one the ACME package knows", src: "Models/ACMEAccountKey.inc acmeserver (choices_callable get_acmeserver_choices: array_keys($a_acmeserver) of pfSense-pkg-acme)",
			test: t("ACMEAccountKey", "test_get_acmeserver_choices"),
			note: "the list is the acme package's (the message lists it, so only the id is checked); letsencrypt-staging-2 and google-staging are the tests' own servers",
			steps: []step{post("/api/v2/services/acme/account_key", `{"name":"test","acmeserver":"not-an-acme-server"}`).is(400, "FIELD_INVALID_CHOICE", ""),
				post("/api/v2/services/acme/account_key", `{"name":"test","acmeserver":"letsencrypt-staging-2"}`).sub(`{"acmeserver":"letsencrypt-staging-2"}`),
				post("/api/v2/services/acme/account_key", `{"name":"test2","acmeserver":"google-staging"}`).sub(`{"acmeserver":"google-staging"}`)}},
	}
}

// vpnCasesV10 are the behaviours of these models that differ between v2.7.1 and v2.10.0.
func vpnCasesV10(v10 bool) []ccase {
	p2enc, crl, ca, cert := "/api/v2/vpn/ipsec/phase2/encryption", "/api/v2/system/crl", "/api/v2/system/certificate_authority", "/api/v2/system/certificate"
	expose := patch("/api/v2/system/restapi/settings", `{"expose_sensitive_fields":true}`)
	caGen := `{"descr":"root_ca","keytype":"RSA","keylen":2048,"digest_alg":"sha256","dn_commonname":"vx-root"}`
	interGen := `{"descr":"intermediate_ca","is_intermediate":true,"caref":"{prev.refid}","keytype":"RSA","keylen":2048,"digest_alg":"sha256","dn_commonname":"vx-intermediate"}`
	crlInternal := post(crl, `{"descr":"test_internal_ca","caref":"67a1f0c2a9b8c","method":"internal"}`)

	p2 := ccase{area: "models", name: "a phase 2 proposal's key length is one its algorithm offers (v2.7.1: validate_keylen, 0 refused)",
		src:  "Models/IPsecPhase2Encryption.inc validate_keylen, get_supported_keylens (v2.7.1) ; pfSense ipsec.inc $p2_ealgos",
		test: "Tests/APIModelsIPsecPhase2EncryptionTestCase.inc test_keylen_choices ; test_get_supported_keylens ; test_get_keylen_enabled_algos ; test_get_support_keylens_name_must_support_key_lengths",
		note: "v2.10.0 makes keylen a KeyLenField whose choices are the algorithm's lengths and 0 (auto): its error is FIELD_INVALID_CHOICE and 0 is taken",
		steps: []step{post(p2enc, `{"parent_id":0,"name":"aes","keylen":257}`).is(400, "IPSEC_PHASE_2_ENCRYPTION_ALGORITHM_KEYLEN_INVALID_CHOICE", "Field `keylen` value `257` is not valid for the `aes` algorithm."),
			post(p2enc, `{"parent_id":0,"name":"aes128gcm","keylen":256}`).is(400, "IPSEC_PHASE_2_ENCRYPTION_ALGORITHM_KEYLEN_INVALID_CHOICE", "Field `keylen` value `256` is not valid for the `aes128gcm` algorithm."),
			post(p2enc, `{"parent_id":0,"name":"aes","keylen":0}`).is(400, "IPSEC_PHASE_2_ENCRYPTION_ALGORITHM_KEYLEN_INVALID_CHOICE", "Field `keylen` value `0` is not valid for the `aes` algorithm."),
			post(p2enc, `{"parent_id":0,"name":"aes128gcm","keylen":128}`).sub(`{"name":"aes128gcm","keylen":128}`),
			post(p2enc, `{"parent_id":0,"name":"chacha20poly1305","keylen":256}`).sub(`{"name":"chacha20poly1305","keylen":null}`)}}
	crlRename := ccase{area: "fields", name: "a CRL's description cannot be changed (v2.7.1)", src: "Models/CertificateRevocationList.inc descr (editable false in v2.7.1) ; Core/Field.inc check_field_editable (FIELD_VALUE_CHANGED_WHEN_NOT_EDITABLE)",
		test: "Tests/APIModelsCertificateRevocationListTestCase.inc test_create_and_delete",
		note: "v2.7.4 drops editable false from descr, lifetime and serial (pull request #859, issue #857)",
		steps: []step{crlInternal, patch(crl, `{"id":0,"descr":"renamed"}`).is(400, "FIELD_VALUE_CHANGED_WHEN_NOT_EDITABLE",
			"Field `descr` is not editable but the requested value `renamed` differs from its current value `test_internal_ca`.")}}
	validity := ccase{area: "models", name: "a certificate has no validity fields (v2.7.1)", src: "Models/Certificate.inc (v2.7.1: no valid_from, valid_until, valid_days_left)",
		note:  "v2.10.0 adds them; no package test checks them",
		steps: []step{get(cert+"?id=0").has(`"crt":"-----BEGIN CERTIFICATE-----`).not(`"valid_from"`, `"valid_days_left"`)}}
	interCARef := ccase{area: "models", name: "a CA has no caref field (v2.7.1)", src: "Models/CertificateAuthority.inc (v2.7.1: no caref)",
		test:  "Tests/APIModelsCertificateAuthorityGenerateTestCase.inc test_generate_intermediate_certificate_authority",
		note:  "v2.10.0 adds a read-only caref naming an intermediate's root",
		steps: []step{post(ca+"/generate", caGen), post(ca+"/generate", interGen).sub(`{"is_intermediate":true}`), get(ca + "?id=2").has(`"descr":"intermediate_ca"`).not(`"caref"`)}}
	psk := ccase{area: "sensitive", name: "a WireGuard peer's pre-shared key is never answered, even with expose_sensitive_fields (v2.7.1)", src: "Models/WireGuardPeer.inc presharedkey (write_only in v2.7.1)",
		test:  "Tests/APIModelsWireGuardPeerTestCase.inc test_crud",
		note:  "v2.10.0 makes it sensitive: shown with expose_sensitive_fields",
		steps: []step{expose, get("/api/v2/vpn/wireguard/peer?id=0").has(`"publickey"`).not(`"presharedkey"`)}}
	caDelete := ccase{area: "relations", name: "deleting a CA deletes every other CA too (v2.7.1)", src: "Models/CertificateAuthority.inc _delete (v2.7.1: CertificateAuthority::query(caref: ..., id__except: id) deletes the matches) ; Core/ModelSet.inc query (a filter on a field the model lacks is skipped)",
		test: "Tests/APIModelsCertificateAuthorityGenerateTestCase.inc test_generate_intermediate_certificate_authority",
		note: "the query meant to find the intermediates names caref, which v2.7.1's CertificateAuthority has no field for, so it matches every other CA (issues #833, #873; fixed in v2.7.6 by commits 55d82e1d and 7cbd075a, which add caref and stop deleting intermediates). The seed's CA goes with the one deleted",
		steps: []step{post(ca+"/generate", caGen), post(ca+"/generate", interGen).sub(`{"id":2}`), del(ca + "?id=1"),
			get("/api/v2/system/certificate_authorities").has(`"data":[]`)}}
	if v10 {
		caDelete.name = "deleting a CA leaves the other CAs, its intermediates among them (v2.10.0)"
		caDelete.src = "v2.10.0 Models/CertificateAuthority.inc _delete (no intermediate deletion)"
		caDelete.note = "before v2.7.6 the intermediates' query matched every other CA and deleted them all (issues #833, #873)"
		caDelete.steps = []step{post(ca+"/generate", caGen), post(ca+"/generate", interGen).sub(`{"id":2}`), del(ca + "?id=1"),
			get("/api/v2/system/certificate_authorities").has(`"refid":"67a1f0c2a9b8c"`, `"descr":"intermediate_ca"`).not(`"descr":"root_ca"`)}
		p2.name = "a phase 2 proposal's key length is one of its algorithm's or 0 for auto (v2.10.0)"
		p2.src = "v2.10.0 Models/IPsecPhase2Encryption.inc keylen (KeyLenField choices_callable get_supported_keylens, which appends 0) ; Fields/KeyLenField.inc (0 is auto) ; Core/Field.inc check_value_choice"
		p2.note = "v2.7.1 checks the length in validate_keylen (its own id) and refuses 0"
		p2.steps = []step{post(p2enc, `{"parent_id":0,"name":"aes","keylen":257}`).is(400, "FIELD_INVALID_CHOICE", "Field `keylen` must be one of [128, 192, 256, 0]"),
			post(p2enc, `{"parent_id":0,"name":"aes128gcm","keylen":256}`).is(400, "FIELD_INVALID_CHOICE", "Field `keylen` must be one of [64, 96, 128, 0]"),
			post(p2enc, `{"parent_id":0,"name":"aes","keylen":0}`).sub(`{"name":"aes","keylen":0}`),
			post(p2enc, `{"parent_id":0,"name":"aes128gcm","keylen":128}`).sub(`{"name":"aes128gcm","keylen":128}`),
			post(p2enc, `{"parent_id":0,"name":"chacha20poly1305","keylen":256}`).sub(`{"name":"chacha20poly1305","keylen":null}`)}
		crlRename.name = "a CRL's description can be changed (v2.10.0)"
		crlRename.src = "v2.10.0 Models/CertificateRevocationList.inc descr (editable)"
		crlRename.note = "editable since v2.7.4 (pull request #859, issue #857); v2.7.1 refuses it (FIELD_VALUE_CHANGED_WHEN_NOT_EDITABLE)"
		crlRename.steps = []step{crlInternal, patch(crl, `{"id":0,"descr":"renamed"}`).sub(`{"descr":"renamed"}`), get("/api/v2/system/crls").sub(`{"descr":"renamed"}`)}
		validity.name = "a certificate answers its validity dates and the days it has left (v2.10.0)"
		validity.src = "v2.10.0 Models/Certificate.inc from_internal_valid_from, from_internal_valid_until, from_internal_valid_days_left (pfSense certs.inc cert_get_dates)"
		validity.note = "no package test checks them; the dates are Y-m-d H:i:s in the firewall's time zone, the days left the whole days until notAfter"
		validity.steps = []step{post(cert+"/generate", `{"descr":"testcert","caref":"67a1f0c2a9b8c","keytype":"RSA","keylen":2048,"digest_alg":"sha256","lifetime":3650,"type":"user","dn_commonname":"testcert.example.com"}`),
			get(cert + "?id={prev.id}").then(vpnxValidity(3650))}
		interCARef.name = "an intermediate CA names its root in caref (v2.10.0)"
		interCARef.src = "v2.10.0 Models/CertificateAuthority.inc caref (read_only) ; pfSense certs.inc ca_inter_create ($ca['caref'])"
		interCARef.note = "v2.7.1's CertificateAuthority has no caref field"
		interCARef.steps = []step{post(ca+"/generate", caGen), post(ca+"/generate", interGen).sub(`{"is_intermediate":true}`),
			get("/api/v2/system/certificate_authorities?caref={prev.caref}").sub(`{"descr":"intermediate_ca"}`).then(coreCount(1))}
		psk.name = "a WireGuard peer's pre-shared key is shown with expose_sensitive_fields (v2.10.0)"
		psk.src = "v2.10.0 Models/WireGuardPeer.inc presharedkey (sensitive)"
		psk.note = "v2.7.1 makes it write-only: never answered"
		psk.steps = []step{get("/api/v2/vpn/wireguard/peer?id=0").not(`"presharedkey"`), expose, get("/api/v2/vpn/wireguard/peer?id=0").has(`"presharedkey":"`)}
	}
	return []ccase{p2, crlRename, validity, interCARef, psk, caDelete}
}

// vpnxChain makes step i's body from the answer of step i-1: the certificate a CSR needs can
// only be made once the CSR is answered. It wraps step i-1's check, which writes into the
// slice the case runs (ccase.run reads each step when it reaches it).
func vpnxChain(steps []step, i int, body func(t *testing.T, r result) string) []step {
	before := steps[i-1].check
	steps[i-1].check = func(t *testing.T, r result) {
		if before != nil {
			before(t, r)
		}
		steps[i].body = body(t, r)
	}
	return steps
}

// vpnxSignCSR signs the answered CSR with vpnxCACRT for 3650 days, as the test's openssl x509
// -req does, and makes the update writing it to the CSR's certificate object.
func vpnxSignCSR(t *testing.T, r result) string {
	csrPEM, _ := r.field("csr").(string)
	b, _ := pem.Decode([]byte(csrPEM))
	if b == nil {
		t.Fatalf("no CSR in the answer: %.300s", r.raw)
	}
	csr, err := x509.ParseCertificateRequest(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	cab, _ := pem.Decode([]byte(vpnxCACRT))
	kb, _ := pem.Decode([]byte(vpnxCAKey))
	caCrt, err1 := x509.ParseCertificate(cab.Bytes)
	caKey, err2 := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(now.UnixNano()), Subject: csr.Subject, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(0, 0, 3650),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCrt, csr.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"id": r.field("id"), "crt": string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))})
	return string(body)
}

// vpnxEmpty: the field is null or empty.
func vpnxEmpty(name string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		if v := r.field(name); v != nil && v != "" {
			t.Errorf("%s = %.60v, want it empty", name, v)
		}
	}
}

// vpnxImport is a certificate (or CA) import of a user certificate.
func vpnxImport(descr, crt, prv string) string {
	b, _ := json.Marshal(map[string]any{"descr": descr, "type": "user", "crt": crt, "prv": prv})
	return string(b)
}

// vpnxGeneratedCA checks a generated CA as the package's tests do: a CA certificate whose key
// is the answered private key, RSA of 2048 bits or ECDSA on prime256v1, with the DN asked for.
func vpnxGeneratedCA(keytype string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		c, key := vpnxPair(t, r)
		if !c.IsCA || !c.BasicConstraintsValid {
			t.Errorf("the generated CA's certificate is no CA (basic constraints %v, CA %v)", c.BasicConstraintsValid, c.IsCA)
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			if keytype != "RSA" || k.N.BitLen() != 2048 || !k.PublicKey.Equal(c.PublicKey) {
				t.Errorf("RSA key of %d bits (matching %v), want %s", k.N.BitLen(), k.PublicKey.Equal(c.PublicKey), keytype)
			}
		case *ecdsa.PrivateKey:
			if keytype != "ECDSA" || k.Curve != elliptic.P256() || !k.PublicKey.Equal(c.PublicKey) {
				t.Errorf("ECDSA key on %s (matching %v), want %s on prime256v1", k.Curve.Params().Name, k.PublicKey.Equal(c.PublicKey), keytype)
			}
		default:
			t.Errorf("prv is a %T, want %s", key, keytype)
		}
		s := c.Subject
		eq(t, "subject", []any{s.Country, s.Province, s.Locality, s.Organization, s.OrganizationalUnit, s.CommonName},
			`[["US"],["UT"],["Salt Lake City"],["ACME Org"],["IT"],"internal-ca"]`)
	}
}

// vpnxPair decodes the answer's crt and prv.
func vpnxPair(t *testing.T, r result) (*x509.Certificate, any) {
	t.Helper()
	crtPEM, _ := r.field("crt").(string)
	prvPEM, _ := r.field("prv").(string)
	cb, _ := pem.Decode([]byte(crtPEM))
	kb, _ := pem.Decode([]byte(prvPEM))
	if cb == nil || kb == nil {
		t.Fatalf("crt or prv is not PEM: %.300s", r.raw)
	}
	c, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	key, err := x509.ParsePKCS8PrivateKey(kb.Bytes)
	if err != nil {
		if key, err = x509.ParsePKCS1PrivateKey(kb.Bytes); err != nil {
			key, err = x509.ParseECPrivateKey(kb.Bytes)
		}
	}
	if err != nil {
		t.Fatalf("prv: %v", err)
	}
	return c, key
}

// vpnxSignedBy checks that the answered CA certificate is signed by the saved one (openssl_x509_verify
// in the test) and has its own matching 2048-bit RSA key.
func vpnxSignedBy(saved map[string]any, name string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		c, key := vpnxPair(t, r)
		rootPEM, _ := saved[name].(string)
		rb, _ := pem.Decode([]byte(rootPEM))
		if rb == nil {
			t.Fatalf("no root certificate saved")
		}
		root, err := x509.ParseCertificate(rb.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.CheckSignatureFrom(root); err != nil {
			t.Errorf("the intermediate is not signed by the root: %v", err)
		}
		if k, ok := key.(*rsa.PrivateKey); !ok || k.N.BitLen() != 2048 || !k.PublicKey.Equal(c.PublicKey) {
			t.Errorf("prv is no matching 2048-bit RSA key (%T)", key)
		}
	}
}

// vpnxSerialAdvanced: the CA's serial is one more than the saved one.
func vpnxSerialAdvanced(saved map[string]any) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		before, _ := saved["serial"].(float64)
		if after, _ := r.field("serial").(float64); saved["serial"] == nil || after != before+1 {
			t.Errorf("the CA's serial went from %v to %v, want one more", saved["serial"], r.field("serial"))
		}
	}
}

// vpnxExportHolds checks that the export's config holds the saved PEM values.
func vpnxExportHolds(saved map[string]any, names ...string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		conf, _ := r.field("binary_data").(string)
		for _, n := range names {
			want, _ := saved[n].(string)
			if want = strings.TrimSpace(want); want == "" || !strings.Contains(conf, want) {
				t.Errorf("the exported config lacks %s (%.40q): %.300q", n, want, conf)
			}
		}
	}
}

// vpnxDownload checks a binary answer: an attachment whose Content-Disposition ends as given,
// and a body starting with the file type's magic bytes.
func vpnxDownload(disposition, magic string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		if cd := r.header.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="`) || !strings.HasSuffix(cd, disposition) {
			t.Errorf("Content-Disposition %q, want an attachment ending %s", cd, disposition)
		}
		if !strings.HasPrefix(string(r.raw), magic) {
			t.Errorf("the file starts %.8q, want %q", r.raw, magic)
		}
	}
}

// vpnxPKCS12 opens the PKCS#12 answer with the passphrase: the certificate with its key and its
// CA; a wrong passphrase does not open it.
func vpnxPKCS12(refid, pass string) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="`+refid+`.p12"` {
			t.Errorf("Content-Disposition %q, want the attachment %s.p12", cd, refid)
		}
		key, crt, chain, err := pkcs12.DecodeChain(r.raw, pass)
		if err != nil {
			t.Fatalf("the archive does not open with its passphrase: %v", err)
		}
		if key == nil || crt == nil || len(chain) != 1 {
			t.Errorf("key %T, certificate %v, %d CA certificates: want the key, the certificate and its CA", key, crt != nil, len(chain))
		}
		if _, _, _, err := pkcs12.DecodeChain(r.raw, pass+"x"); err == nil {
			t.Errorf("the archive opens with a wrong passphrase")
		}
	}
}

// vpnxSATypes checks the IPsec SA status types (IPsecSAStatus's fields) and its child SAs'.
func vpnxSATypes(t *testing.T, r result) {
	var sas []map[string]any
	if err := json.Unmarshal(r.env.Data, &sas); err != nil {
		t.Fatal(err)
	}
	for _, sa := range sas {
		vpnxTypes(t, sa, "number", "uniqueid", "version", "encr_keysize", "established", "rekey_time")
		vpnxTypes(t, sa, "boolean", "nat_remote", "nat_any")
		vpnxTypes(t, sa, "string", "con_id", "state", "local_host", "local_port", "remote_host", "remote_port", "encr_alg", "integ_alg", "dh_group")
		vpnxTypes(t, sa, "list", "child_sas")
		children, _ := sa["child_sas"].([]any)
		for _, c := range children {
			child, _ := c.(map[string]any)
			vpnxChildSATypes(t, child)
		}
	}
}

// vpnxChildSATypes checks a child SA's types (IPsecChildSAStatus's fields).
func vpnxChildSATypes(t *testing.T, sa map[string]any) {
	vpnxTypes(t, sa, "number", "uniqueid", "reqid", "encr_keysize", "bytes_in", "bytes_out", "packets_in", "packets_out", "use_in", "use_out", "rekey_time", "life_time", "install_time")
	vpnxTypes(t, sa, "boolean", "encap")
	vpnxTypes(t, sa, "string", "name", "state", "mode", "protocol", "spi_in", "spi_out", "encr_alg", "integ_alg")
	vpnxTypes(t, sa, "list", "local_ts", "remote_ts")
}

func vpnxTypes(t *testing.T, o map[string]any, kind string, fields ...string) {
	t.Helper()
	for _, f := range fields {
		v := o[f]
		ok := false
		switch kind {
		case "number":
			n, isNum := v.(float64)
			ok = isNum && n == float64(int64(n))
		case "boolean":
			_, ok = v.(bool)
		case "string":
			_, ok = v.(string)
		case "list":
			_, ok = v.([]any)
		}
		if !ok {
			t.Errorf("%s = %#v, want a %s", f, v, kind)
		}
	}
}

// vpnxValidity checks v2.10.0's validity fields against the certificate: Y-m-d H:i:s dates as
// far apart as notBefore and notAfter (an hour of daylight saving time aside), and the whole
// days left until notAfter.
func vpnxValidity(lifetime int) func(t *testing.T, r result) {
	return func(t *testing.T, r result) {
		re := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$`)
		from, _ := r.field("valid_from").(string)
		until, _ := r.field("valid_until").(string)
		if !re.MatchString(from) || !re.MatchString(until) {
			t.Fatalf("valid_from %q, valid_until %q: want Y-m-d H:i:s dates", from, until)
		}
		f, _ := time.Parse("2006-01-02 15:04:05", from)
		u, _ := time.Parse("2006-01-02 15:04:05", until)
		if d := u.Sub(f) - time.Duration(lifetime)*24*time.Hour; d < -time.Hour || d > time.Hour {
			t.Errorf("valid_until - valid_from = %v, want %d days", u.Sub(f), lifetime)
		}
		if left, _ := r.field("valid_days_left").(float64); left != float64(lifetime) && left != float64(lifetime-1) {
			t.Errorf("valid_days_left = %v, want %d (or %d)", r.field("valid_days_left"), lifetime-1, lifetime)
		}
	}
}

// A fixed CA (ECDSA P-256, PKCS#8 key, valid 2020-2120) and a user certificate it signed, for
// the relinking case and for signing CSRs outside the firewall.
const (
	vpnxCACRT = `-----BEGIN CERTIFICATE-----
MIIBnDCCAUGgAwIBAgIBATAKBggqhkjOPQQDAjA0MRswGQYDVQQKExJwZnJlc3Qg
Y29uZm9ybWFuY2UxFTATBgNVBAMTDHZ4LXJlbGluay1jYTAgFw0yMDAxMDEwMDAw
MDBaGA8yMTIwMDEwMTAwMDAwMFowNDEbMBkGA1UEChMScGZyZXN0IGNvbmZvcm1h
bmNlMRUwEwYDVQQDEwx2eC1yZWxpbmstY2EwWTATBgcqhkjOPQIBBggqhkjOPQMB
BwNCAASw9Ejn8JUE8D42t8miSa+p7VSN6Qa8w5K9zCwE8WXrpmPR+kRzLkmQIHC5
ldYvLUWOiAlAallZufl7h4xdH9ZXo0IwQDAOBgNVHQ8BAf8EBAMCAQYwDwYDVR0T
AQH/BAUwAwEB/zAdBgNVHQ4EFgQUJ+d8UA1KgNl3qOKO3A4msd8aMg4wCgYIKoZI
zj0EAwIDSQAwRgIhALL2eeDJmHf79Wp/68nDr3dvESYOaULBkJy2OJ/7zzGUAiEA
iRMqTc5vExHDAKZijkCO/D+e+IYFK8MXYG8pPm5ZBlc=
-----END CERTIFICATE-----
`
	vpnxCAKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgkYxGXGFwrVQ/U5Wg
mlcJMiDUN38Cn0VJatrKFQzcFOuhRANCAASw9Ejn8JUE8D42t8miSa+p7VSN6Qa8
w5K9zCwE8WXrpmPR+kRzLkmQIHC5ldYvLUWOiAlAallZufl7h4xdH9ZX
-----END PRIVATE KEY-----
`
	vpnxLeafCRT = `-----BEGIN CERTIFICATE-----
MIIBqzCCAVCgAwIBAgIBAjAKBggqhkjOPQQDAjA0MRswGQYDVQQKExJwZnJlc3Qg
Y29uZm9ybWFuY2UxFTATBgNVBAMTDHZ4LXJlbGluay1jYTAgFw0yMDAxMDEwMDAw
MDBaGA8yMTIwMDEwMTAwMDAwMFowPTEbMBkGA1UEChMScGZyZXN0IGNvbmZvcm1h
bmNlMR4wHAYDVQQDExV2eC1yZWxpbmsuZXhhbXBsZS5jb20wWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAATRjNeICH0O0wbHWcuNqxdeVoIumt7vAt1w4XLkMJvNoce2
E6zoMmO/SAtI5SuxsBzK2mKTLMZWsWIXYSCekYuQo0gwRjAOBgNVHQ8BAf8EBAMC
B4AwEwYDVR0lBAwwCgYIKwYBBQUHAwIwHwYDVR0jBBgwFoAUJ+d8UA1KgNl3qOKO
3A4msd8aMg4wCgYIKoZIzj0EAwIDSQAwRgIhANGmNnccXsocwjyyncXXdZJahPsX
ir/uKKeXKHC5OTGgAiEA5xq8kTp9LIR14FyIHi2f/sHfDedE05FL9hAQCxhQSco=
-----END CERTIFICATE-----
`
	vpnxLeafKey = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgjhIjjTEYxqgPBml9
AVUWHc2Qk1ZZGrFT3a7bKGLyFv+hRANCAATRjNeICH0O0wbHWcuNqxdeVoIumt7v
At1w4XLkMJvNoce2E6zoMmO/SAtI5SuxsBzK2mKTLMZWsWIXYSCekYuQ
-----END PRIVATE KEY-----
`
)
