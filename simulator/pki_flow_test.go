package simulator_test

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"software.sslmate.com/src/go-pkcs12"
)

func parsePEM(t *testing.T, what string, v any) []byte {
	t.Helper()
	s, _ := v.(string)
	b, _ := pem.Decode([]byte(s))
	if b == nil {
		t.Fatalf("%s is no PEM: %v", what, v)
	}
	return b.Bytes
}

func caSerials(t *testing.T, c *client) map[string]float64 {
	t.Helper()
	out := map[string]float64{}
	// Not c.ok: an intermediate CA's counter is 0 (pfSense certs.inc ca_inter_create), below
	// the spec's minimum of 1 for serial, on a real firewall as here.
	list := c.do("GET", "/api/v2/system/certificate_authorities", "")
	if list.code != 200 {
		t.Fatalf("certificate authorities: %s", list.raw)
	}
	descr, serial := list.column(t, "descr"), list.column(t, "serial")
	for i := range descr {
		out[fmt.Sprint(descr[i])], _ = serial[i].(float64)
	}
	return out
}

// An intermediate CA is signed by its root with the root's next serial, which the root keeps;
// its own counter starts at 0. Subjects carry every DN part given (Tests/
// APIModelsCertificateAuthorityGenerateTestCase.inc test_generate_intermediate_certificate_authority;
// pfSense certs.inc ca_inter_create; ModelTraits/CertificateModelTraits.inc to_x509_dn).
func TestAnIntermediateCAIsSignedByItsRoot(t *testing.T) {
	c := newClient(t, simulator.Options{})
	root := c.ok("POST", "/api/v2/system/certificate_authority/generate", `{"descr":"root_ca","trust":true,"randomserial":true,"is_intermediate":false,"keytype":"RSA","keylen":2048,
		"digest_alg":"sha256","lifetime":3650,"dn_commonname":"root","dn_country":"US","dn_state":"UT","dn_city":"Salt Lake City","dn_organization":"ACME Org","dn_organizationalunit":"IT"}`)
	inter := c.ok("POST", "/api/v2/system/certificate_authority/generate", fmt.Sprintf(`{"descr":"intermediate_ca","trust":true,"randomserial":false,"is_intermediate":true,"caref":%q,
		"keytype":"RSA","keylen":2048,"digest_alg":"sha256","lifetime":3650,"dn_commonname":"inter","dn_country":"US"}`, root.field(t, "refid")))
	rootCert, err := x509.ParseCertificate(parsePEM(t, "root crt", root.field(t, "crt")))
	if err != nil {
		t.Fatal(err)
	}
	interCert, err := x509.ParseCertificate(parsePEM(t, "intermediate crt", inter.field(t, "crt")))
	if err != nil {
		t.Fatal(err)
	}
	if err := interCert.CheckSignatureFrom(rootCert); err != nil {
		t.Errorf("intermediate not signed by the root: %v", err)
	}
	same(t, "root subject", rootCert.Subject.String(), "CN=root,OU=IT,O=ACME Org,L=Salt Lake City,ST=UT,C=US")
	same(t, "intermediate serial number", interCert.SerialNumber.Int64(), int64(2))
	serials := caSerials(t, c)
	same(t, "CA counters", []float64{serials["root_ca"], serials["intermediate_ca"]}, []float64{2, 0})
}

// A signing request is a certificate entry with a csr and no crt until a certificate update
// sets the crt, which drops the csr (Tests/APIModelsCertificateSigningRequestTestCase.inc
// test_generate_and_complete_csr; Models/CertificateSigningRequest.inc config_path cert,
// Models/Certificate.inc _update). Signing one issues its subject with the SANs of the sign
// call, and the CA's counter goes up (Tests/APIModelsCertificateSigningRequestSignTestCase.inc
// test_sign; Models/CertificateSigningRequestSign.inc sign_csr).
func TestASigningRequestIsSignedAndCompleted(t *testing.T) {
	c := newClient(t, simulator.Options{})
	before := len(c.ok("GET", "/api/v2/system/certificates", "").column(t, "id"))
	csr := c.ok("POST", "/api/v2/system/certificate/signing_request", `{"descr":"test_csr","keytype":"RSA","keylen":2048,"digest_alg":"sha256","lifetime":3650,
		"dn_commonname":"test.example.com","dn_country":"US","dn_state":"CA","dn_city":"San Francisco","dn_organization":"ACME Corp","dn_organizationalunit":"IT",
		"dn_dns_sans":["a.example.com"],"dn_email_sans":["x@example.com"],"dn_uri_sans":["http://example.com"]}`)
	same(t, "csr id", csr.field(t, "id"), float64(before))
	req, err := x509.ParseCertificateRequest(parsePEM(t, "csr", csr.field(t, "csr")))
	if err != nil {
		t.Fatal(err)
	}
	same(t, "csr subject and SANs", []any{req.Subject.String(), req.DNSNames, req.EmailAddresses, req.URIs[0].String()},
		[]any{"CN=test.example.com,OU=IT,O=ACME Corp,L=San Francisco,ST=CA,C=US", []string{"a.example.com"}, []string{"x@example.com"}, "http://example.com"})
	stored := c.ok("GET", fmt.Sprintf("/api/v2/system/certificate?id=%d", before), "")
	if stored.field(t, "csr") == nil || stored.field(t, "crt") != nil {
		t.Errorf("stored request: %s", stored.raw)
	}

	ca := c.ok("GET", "/api/v2/system/certificate_authority?id=0", "")
	counter := caSerials(t, c)[fmt.Sprint(ca.field(t, "descr"))]
	body, _ := json.Marshal(map[string]any{"descr": "signed", "caref": ca.field(t, "refid"), "csr": csr.field(t, "csr"), "digest_alg": "sha256",
		"lifetime": 365, "type": "server", "dn_dns_sans": []string{"b.example.com"}})
	signed := c.ok("POST", "/api/v2/system/certificate/signing_request/sign", string(body))
	crt, err := x509.ParseCertificate(parsePEM(t, "signed crt", signed.field(t, "crt")))
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(parsePEM(t, "CA crt", ca.field(t, "crt")))
	if err := crt.CheckSignatureFrom(caCert); err != nil {
		t.Errorf("not signed by the CA: %v", err)
	}
	same(t, "signed subject and SANs", []any{crt.Subject.CommonName, crt.DNSNames}, []any{"test.example.com", []string{"b.example.com"}})
	same(t, "CA counter", caSerials(t, c)[fmt.Sprint(ca.field(t, "descr"))], counter+1)
	same(t, "signed id", signed.field(t, "id"), float64(before+1))

	done := c.ok("PATCH", "/api/v2/system/certificate", fmt.Sprintf(`{"id":%d,"crt":%q}`, before, signed.field(t, "crt")))
	if done.field(t, "csr") != nil {
		t.Errorf("csr after the crt is set: %v", done.field(t, "csr"))
	}
}

// An internal CRL is made on create and remade on every update, which bumps its serial; it
// lists the revoked certificates' serials (Tests/APIModelsCertificateRevocationListTestCase.inc
// test_generate_with_revoked_certificates; Models/CertificateRevocationList.inc _create,
// _update; pfSense certs.inc crl_update).
func TestAnInternalCRLListsWhatItRevokes(t *testing.T) {
	c := newClient(t, simulator.Options{})
	cert := c.ok("GET", "/api/v2/system/certificate?id=0", "")
	crl := c.ok("POST", "/api/v2/system/crl", fmt.Sprintf(`{"descr":"test_crl","caref":%q,"method":"internal","lifetime":730,"serial":1,"cert":[{"certref":%q,"reason":1}]}`,
		cert.field(t, "caref"), cert.field(t, "refid")))
	list, err := x509.ParseRevocationList(parsePEM(t, "crl text", crl.field(t, "text")))
	if err != nil {
		t.Fatal(err)
	}
	crt, _ := x509.ParseCertificate(parsePEM(t, "crt", cert.field(t, "crt")))
	if len(list.RevokedCertificateEntries) != 1 || list.RevokedCertificateEntries[0].SerialNumber.Cmp(crt.SerialNumber) != 0 || list.RevokedCertificateEntries[0].ReasonCode != 1 {
		t.Errorf("revoked entries = %+v, want serial %v reason 1", list.RevokedCertificateEntries, crt.SerialNumber)
	}
	same(t, "serial after create", crl.field(t, "serial"), float64(1))
	updated := c.ok("PATCH", "/api/v2/system/crl", `{"id":0,"cert":[]}`)
	same(t, "serial after update", updated.field(t, "serial"), float64(2))
	list, err = x509.ParseRevocationList(parsePEM(t, "updated crl text", updated.field(t, "text")))
	if err != nil || len(list.RevokedCertificateEntries) != 0 {
		t.Errorf("updated CRL: %v, %d entries", err, len(list.RevokedCertificateEntries))
	}
}

// A PKCS#12 export holds the certificate, its key and its CA, encrypted with the passphrase at
// the level asked for (Tests/APIModelsCertificatePKCS12ExportTestCase.inc test_create_with_pass;
// pfSense certs.inc cert_pkcs12_export).
func TestAPKCS12ExportOpensWithItsPassphrase(t *testing.T) {
	c := newClient(t, simulator.Options{})
	for _, level := range []string{"high", "low", "legacy"} {
		r := c.do("POST", "/api/v2/system/certificate/pkcs12/export", `{"certref":"67a1f0c2b3d4e","encryption":"`+level+`","passphrase":"testpass"}`,
			"Accept: application/octet-stream")
		if r.code != 200 || r.header.Get("Content-Disposition") == "" {
			t.Fatalf("%s: %d %s %s", level, r.code, r.header, r.raw)
		}
		key, crt, chain, err := pkcs12.DecodeChain(r.raw, "testpass")
		if err != nil {
			t.Fatalf("%s: %v", level, err)
		}
		if key == nil || crt.Subject.CommonName == "" || len(chain) != 1 {
			t.Errorf("%s: key %T, certificate %q, %d CA certificates", level, key, crt.Subject, len(chain))
		}
		if _, _, _, err := pkcs12.DecodeChain(r.raw, "wrong"); err == nil {
			t.Errorf("%s: opens with a wrong passphrase", level)
		}
	}
}

// An imported certificate is linked to the CA whose subject is its issuer; a self-signed one
// to none (Models/Certificate.inc _create calling pfSense's cert_import, src/etc/inc/certs.inc;
// Tests/APIModelsCertificateTestCase.inc test_certificate_is_relinked_to_ca_on_create).
func TestAnImportedCertificateIsLinkedToItsCA(t *testing.T) {
	c := newClient(t, simulator.Options{})
	c.ok("PATCH", "/api/v2/system/restapi/settings", `{"expose_sensitive_fields":true}`)
	const ca = "67a1f0c2a9b8c" // the seed's internal CA
	gen := c.ok("POST", "/api/v2/system/certificate/generate", `{"descr":"testcert","caref":"`+ca+`","keytype":"RSA","keylen":2048,
		"digest_alg":"sha256","lifetime":3650,"type":"user","dn_commonname":"testcert.example.com","dn_country":"US"}`)
	crt, prv := gen.field(t, "crt"), gen.field(t, "prv")
	c.ok("DELETE", fmt.Sprintf("/api/v2/system/certificate?id=%v", gen.field(t, "id")), "")
	body, _ := json.Marshal(map[string]any{"descr": "reimported", "crt": crt, "prv": prv})
	imp := c.ok("POST", "/api/v2/system/certificate", string(body))
	if got := imp.field(t, "caref"); got != ca {
		t.Errorf("imported certificate's caref = %v, want the CA that signed it, %s", got, ca)
	}
	// The CA's own certificate is self-signed: imported as a certificate, it has no CA.
	cas := c.ok("GET", "/api/v2/system/certificate_authorities", "")
	body, _ = json.Marshal(map[string]any{"descr": "self-signed", "crt": cas.column(t, "crt")[0], "prv": cas.column(t, "prv")[0]})
	if got := c.ok("POST", "/api/v2/system/certificate", string(body)).field(t, "caref"); got != nil {
		t.Errorf("a self-signed certificate's caref = %v, want null", got)
	}
}

// Revoking a certificate (or taking it off the list) updates the parent CRL: its X509 text
// lists what is revoked now and its serial grows (Models/CertificateRevocationListRevokedCertificate.inc
// apply, always_apply; Models/CertificateRevocationList.inc _update).
func TestRevokingACertificateRebuildsTheCRL(t *testing.T) {
	c := newClient(t, simulator.Options{})
	c.ok("POST", "/api/v2/system/crl", `{"descr":"internal crl","caref":"67a1f0c2a9b8c","method":"internal","lifetime":730}`)
	revoked := func() (int, float64) {
		r := c.ok("GET", "/api/v2/system/crl?id=0", "")
		l, err := x509.ParseRevocationList(parsePEM(t, "crl text", r.field(t, "text")))
		if err != nil {
			t.Fatal(err)
		}
		serial, _ := r.field(t, "serial").(float64)
		return len(l.RevokedCertificateEntries), serial
	}
	n0, s0 := revoked()
	if n0 != 0 {
		t.Fatalf("a new CRL revokes %d certificates", n0)
	}
	rc := c.ok("POST", "/api/v2/system/crl/revoked_certificate", `{"parent_id":0,"certref":"67a1f0c2c5e6f","reason":1}`)
	n1, s1 := revoked()
	if n1 != 1 || s1 != s0+1 {
		t.Errorf("after revoking a certificate the CRL lists %d (want 1) with serial %v (want %v)", n1, s1, s0+1)
	}
	c.ok("DELETE", fmt.Sprintf("/api/v2/system/crl/revoked_certificate?parent_id=0&id=%v", rc.field(t, "id")), "")
	if n2, s2 := revoked(); n2 != 0 || s2 != s1+1 {
		t.Errorf("after un-revoking it the CRL lists %d (want 0) with serial %v (want %v)", n2, s2, s1+1)
	}
}

// Deleting a CA unlinks the certificates it signed and deletes its CRLs. Whether a CA that a
// service uses can be deleted depends on the version: v2.7.1 asks pfSense's cert_in_use about
// the CA's refid (which no service names as a certificate), so the OpenVPN server's CA goes;
// from v2.7.4 ca_in_use refuses with 409 (Models/CertificateAuthority.inc _delete, commits
// 8fa83dc2 and 07bdfa10; Tests/APIModelsCertificateAuthorityTestCase.inc
// test_cannot_delete_ca_in_use in v2.10.0).
func TestDeletingACA(t *testing.T) {
	nat := nativeSchema(t)
	if nat.Empty() {
		t.Skip("this build has no native schema: the REST API version is unknown")
	}
	c := newClient(t, simulator.Options{})
	c.ok("POST", "/api/v2/system/crl", `{"descr":"internal crl","caref":"67a1f0c2a9b8c","method":"internal"}`)
	if atLeastPatch(nat.Version, 2, 7, 4) {
		c.expect("DELETE", "/api/v2/system/certificate_authority?id=0", "", 409, "CERTIFICATE_AUTHORITY_CANNOT_BE_DELETED_WHILE_IN_USE", "Certificate authority cannot be deleted because it is in use.")
		// Once the OpenVPN server no longer names it, it goes.
		c.ok("DELETE", "/api/v2/vpn/openvpn/server?id=0", "")
	}
	c.ok("DELETE", "/api/v2/system/certificate_authority?id=0", "")
	for _, ref := range c.ok("GET", "/api/v2/system/certificates", "").column(t, "caref") {
		if ref != nil {
			t.Errorf("a certificate still names the deleted CA: caref %v", ref)
		}
	}
	if n := len(c.ok("GET", "/api/v2/system/crls", "").column(t, "descr")); n != 0 {
		t.Errorf("%d CRLs of the deleted CA remain", n)
	}
}
