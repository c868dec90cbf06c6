package simulator

// The OpenVPN client export (Models/OpenVPNClientExport.inc _create, which calls the
// openvpn-client-export package's openvpn_client_export_config: pfsense/FreeBSD-ports
// security/pfSense-pkg-openvpn-client-export files/usr/local/pkg/openvpn-client-export.inc,
// blob bd9e2f21, lines 210-529). An inline export answers the client config as binary_data; a
// zip export is a file download ({prefix}-config.zip: the config with pkcs12 and tls-auth file
// lines, the PKCS#12 archive and the TLS key). Installers and Viscosity bundles wrap
// OpenVPN's Windows installer and Viscosity's format, which the simulator does not have: they
// answer the package's "could not be created" error.

import (
	"archive/zip"
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

func init() {
	createHooks["OpenVPNClientExport"] = func(vc *vctx) *apiError { return vc.sim.ovpnExport(vc) }
}

func (sim *Simulator) ovpnExport(vc *vctx) *apiError {
	obj := vc.obj
	var srv map[string]any
	for _, s := range sim.st.Lists["OpenVPNServer"] {
		if toInt(s["vpnid"]) == toInt(obj["server"]) {
			srv = s
		}
	}
	if srv == nil {
		return errf(500, "OPENVPN_CLIENT_EXPORT_CREATION_FAILED_FOR_UNKNOWN_REASON", "The OpenVPN client export could not be created for unknown reasons.")
	}
	var crt map[string]any
	for _, c := range sim.st.Lists["Certificate"] {
		if toBool(obj["certref"]) && c["refid"] == obj["certref"] {
			crt = c
		}
	}
	typ := strval(obj["type"])
	prefix := sim.ovpnExportPrefix(srv, obj, crt)
	switch {
	case strings.HasPrefix(typ, "confinline"):
		obj["binary_data"] = sim.ovpnClientConfig(srv, obj, crt, true, prefix)
		obj["filename"] = nil
	case typ == "confzip":
		data, err := sim.ovpnExportZip(srv, obj, crt, prefix)
		if err != nil {
			return errf(500, "OPENVPN_CLIENT_EXPORT_CREATION_FAILED_FOR_UNKNOWN_REASON", "The OpenVPN client export could not be created for unknown reasons.")
		}
		obj["filename"] = url.QueryEscape(prefix + "-config.zip")
		obj["binary_data"] = string(data)
	default:
		return errf(500, "OPENVPN_CLIENT_EXPORT_CREATION_FAILED_FOR_UNKNOWN_REASON", "The OpenVPN client export could not be created for unknown reasons.")
	}
	data, _ := obj["binary_data"].(string)
	name, _ := obj["filename"].(string)
	if vc.req != nil && vc.req.encoder == mimeBinary && name != "" && !utf8.ValidString(data) {
		// ContentHandlers/BinaryContentHandler.inc _encode: the file itself.
		vc.req.rawType, vc.req.rawName, vc.req.rawBody = "application/octet-stream", name, []byte(data)
	}
	return nil
}

// ovpnExportPrefix is openvpn_client_export_prefix: host, protocol (lower case only when it is
// exactly UDP), port, then the user's name or the certificate's common name.
func (sim *Simulator) ovpnExportPrefix(srv, obj, crt map[string]any) string {
	host := strval(sim.st.Singles["SystemHostname"]["hostname"])
	if host == "" {
		host = "openvpn"
	}
	proto := strval(srv["protocol"])
	if proto == "UDP" {
		proto = "udp"
	}
	p := host + "-" + proto + "-" + strval(srv["local_port"])
	if u := strval(obj["username"]); u != "" {
		return p + "-" + u
	}
	if c := certCN(crt); c != "" {
		return p + "-" + strings.ReplaceAll(c, " ", "_")
	}
	return p
}

func parseCert(pemText string) *x509.Certificate {
	block, _ := pem.Decode([]byte(pemText))
	if block == nil {
		return nil
	}
	c, _ := x509.ParseCertificate(block.Bytes)
	return c
}

func certCN(c map[string]any) string {
	if c == nil {
		return ""
	}
	if x := parseCert(strval(c["crt"])); x != nil {
		return x.Subject.CommonName
	}
	return ""
}

// ovpnRemoteHost is the useaddr choice (openvpn-client-export.inc L857-900): the server's
// interface address, the firewall's host name, or the name given.
func (sim *Simulator) ovpnRemoteHost(srv, obj map[string]any) string {
	switch u := strval(obj["useaddr"]); u {
	case "other":
		return strval(obj["useaddr_hostname"])
	case "serverhostname", "":
		h := sim.st.Singles["SystemHostname"]
		return strval(h["hostname"]) + "." + strval(h["domain"])
	case "serveraddr", "servermagic", "servermagichost":
		iface := strval(srv["interface"])
		if iface == "" || iface == "any" {
			iface = "wan"
		}
		v6 := strings.HasSuffix(strings.ToLower(strval(srv["protocol"])), "6")
		for _, st := range sim.st.Lists["InterfaceStats"] {
			if strval(st["name"]) == iface {
				if v6 {
					return strval(st["ipaddrv6"])
				}
				return strval(st["ipaddr"])
			}
		}
		return ""
	default:
		return u
	}
}

// ovpnClientConfig is openvpn_client_export_config: inline puts the CA, certificate, key and
// TLS key in the file; otherwise the file names the PKCS#12 archive and the key file.
func (sim *Simulator) ovpnClientConfig(srv, obj, crt map[string]any, inline bool, prefix string) string {
	var b strings.Builder
	line := func(s string) { b.WriteString(s + "\n") }
	mode := strval(srv["mode"])
	dev := strval(srv["dev_mode"])
	if dev == "" {
		dev = "tun"
	}
	line("dev " + dev)
	line("persist-tun")
	line("persist-key")
	// pfSense openvpn.inc openvpn_build_data_cipher_list: the fallback joins the list.
	ciphers := joinList(srv["data_ciphers"])
	fallback := strval(srv["data_ciphers_fallback"])
	if ciphers == "" {
		ciphers = fallback
	}
	if fallback != "" && !slices.Contains(strings.Split(ciphers, ","), fallback) {
		ciphers += "," + fallback
	}
	if ciphers != "" {
		line("data-ciphers " + strings.ReplaceAll(ciphers, ",", ":"))
	}
	if fallback != "" {
		line("data-ciphers-fallback " + fallback)
	}
	digest := strval(srv["digest"])
	if digest == "" {
		digest = "SHA1"
	}
	line("auth " + digest)
	line("tls-client")
	line("client")
	line("resolv-retry infinite")
	line("remote " + sim.ovpnRemoteHost(srv, obj) + " " + strval(srv["local_port"]) + " " + strings.ToLower(strval(srv["protocol"])))
	if toBool(obj["blockoutsidedns"]) {
		line("setenv opt block-outside-dns")
	}
	switch strval(obj["bindmode"]) {
	case "lport0":
		line("lport 0")
	case "bind":
	default:
		line("nobind")
	}
	var srvCert *x509.Certificate
	for _, c := range sim.st.Lists["Certificate"] {
		if c["refid"] == srv["certref"] {
			srvCert = parseCert(strval(c["crt"]))
		}
	}
	if srvCert != nil && srvCert.Subject.CommonName != "" && mode != "server_user" && strval(obj["verifyservercn"]) != "none" {
		line(`verify-x509-name "` + srvCert.Subject.CommonName + `" name`)
	}
	if mode == "server_user" || mode == "server_tls_user" {
		line("auth-user-pass")
	}
	tlsKey := strval(srv["tls"])
	crypt := strval(srv["tls_type"]) == "crypt"
	if !inline {
		if mode == "server_user" {
			line("ca " + prefix + "-ca.crt")
		} else {
			line("pkcs12 " + prefix + ".p12")
		}
		if tlsKey != "" {
			if crypt {
				line("tls-crypt " + prefix + "-tls.key")
			} else {
				line("tls-auth " + prefix + "-tls.key 1")
			}
		}
	}
	if srvCert != nil {
		for _, u := range srvCert.ExtKeyUsage {
			if u == x509.ExtKeyUsageServerAuth {
				line("remote-cert-tls server")
				break
			}
		}
	}
	if ac := strval(srv["allow_compression"]); ac != "" && ac != "no" && !toBool(srv["compression_push"]) {
		if c := strval(srv["compression"]); c != "" {
			line("compress " + c)
		}
	}
	if toBool(srv["passtos"]) {
		line("passtos")
	}
	if strings.Contains(strings.ToLower(strval(srv["protocol"])), "udp") {
		line("explicit-exit-notify")
	}
	adv := strings.NewReplacer("\r\n", "\n", ";", "\n").Replace(strval(obj["advancedoptions"]))
	if adv != "" {
		line(adv)
	} else {
		line("")
	}
	if !inline {
		return b.String()
	}
	if ca := sim.findCA(strval(srv["caref"])); ca != nil {
		line("<ca>")
		line(strings.TrimSpace(strval(ca["crt"])))
		line("</ca>")
	}
	if mode != "server_user" && crt != nil {
		line("<cert>")
		line(strings.TrimSpace(strval(crt["crt"])))
		line("</cert>")
		line("<key>")
		line(strings.TrimSpace(strval(crt["prv"])))
		line("</key>")
	} else if mode == "server_user" {
		line("setenv CLIENT_CERT 0")
	}
	if tlsKey != "" {
		if crypt {
			line("<tls-crypt>")
			line(strings.TrimSpace(tlsKey))
			line("</tls-crypt>")
		} else {
			line("key-direction 1")
			line("<tls-auth>")
			line(strings.TrimSpace(tlsKey))
			line("</tls-auth>")
		}
	}
	return b.String()
}

// ovpnExportZip is the zip export (openvpn-client-export.inc L455-500): a folder named after
// the prefix with the config, the PKCS#12 archive and the TLS key.
func (sim *Simulator) ovpnExportZip(srv, obj, crt map[string]any, prefix string) ([]byte, error) {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	add := func(name string, data []byte) error {
		w, err := z.Create(prefix + "/" + name)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	if err := add(prefix+".ovpn", []byte(sim.ovpnClientConfig(srv, obj, crt, false, prefix))); err != nil {
		return nil, err
	}
	if crt != nil {
		p12, err := sim.pkcs12Of(crt, strval(obj["p12encryption"]), strval(obj["pass"]))
		if err != nil {
			return nil, err
		}
		if err := add(prefix+".p12", p12); err != nil {
			return nil, err
		}
	}
	if k := strval(srv["tls"]); k != "" {
		if err := add(prefix+"-tls.key", []byte(k+"\n")); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
