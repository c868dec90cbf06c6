package simulator

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"maps"
	"math"
	"math/big"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// generateCertificate answers POST /system/certificate/generate and
// /system/certificate_authority/generate: it issues a real certificate and stores it in the
// certificate (or CA) list, where the plural endpoints show it. The key is the one asked for
// (Models/CertificateGenerate.inc: keytype RSA with keylen bits, or ECDSA on the ecname curve),
// signed with digest_alg; keys are PKCS#8 PEM, as openssl_pkey_export writes them.
func (sim *Simulator) generateCertificate(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	isCA := req.m.name == "CertificateAuthorityGenerate"
	var parentCert *x509.Certificate
	var parentKey crypto.Signer
	caref, _ := obj["caref"].(string)
	if inter, _ := obj["is_intermediate"].(bool); !isCA || inter {
		ca := sim.findCA(caref)
		if ca == nil {
			return nil, errf(400, "FOREIGN_MODEL_FIELD_VALUE_NOT_FOUND",
				"Field `caref` could not locate `CertificateAuthority` object with `refid` set to `%s`", caref)
		}
		var err error
		if parentCert, parentKey, err = parseCA(ca); err != nil {
			return nil, errf(400, "CERTIFICATE_AUTHORITY_HAS_NO_PRIVATE_KEY", "The certificate authority `%s` cannot sign certificates: %v", caref, err)
		}
	} else {
		caref = ""
	}
	key, err := newKey(obj)
	if err != nil {
		return nil, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "Could not generate a key.")
	}
	days, _ := obj["lifetime"].(int64)
	if days <= 0 {
		days = 3650
	}
	now := sim.opts.Now()
	cn, _ := obj["dn_commonname"].(string)
	if cn == "" {
		cn, _ = obj["descr"].(string)
	}
	serial := randomSerial()
	caSerial := int64(1) // a new root CA's counter (certs.inc ca_create)
	if parent := sim.findCA(caref); parent != nil {
		if isCA {
			// ca_inter_create: the signing CA's counter, always sequential; the new CA's starts at 0.
			next := toInt(parent["serial"]) + 1
			parent["serial"], serial, caSerial = next, big.NewInt(next), 0
		} else {
			serial = nextCASerial(parent)
		}
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      subjectOf(obj, cn),
		NotBefore:    now.Add(-time.Minute), NotAfter: now.Add(time.Duration(days) * 24 * time.Hour),
	}
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		usagesFor(tmpl, obj["type"])
		tmpl.DNSNames, tmpl.EmailAddresses, tmpl.IPAddresses, tmpl.URIs = sansOf(obj)
	}
	if parentCert == nil {
		parentCert, parentKey = tmpl, key
	}
	tmpl.SignatureAlgorithm = signatureAlgorithm(parentKey, obj["digest_alg"])
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), parentKey)
	if err != nil {
		return nil, errf(400, "CERTIFICATE_GENERATION_FAILED", "Could not generate the certificate: %v", err)
	}
	prvDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "Could not export the key.")
	}
	crt, prv := pemOf("CERTIFICATE", der), pemOf("PRIVATE KEY", prvDER)
	stored := map[string]any{"descr": obj["descr"], "crt": crt, "prv": prv}
	target := sim.models["Certificate"]
	if isCA {
		target = sim.models["CertificateAuthority"]
		stored["trust"], stored["randomserial"], stored["serial"] = obj["trust"], obj["randomserial"], caSerial
		if caref != "" && target != nil && target.schema.Prop("caref") != nil {
			// pfSense certs.inc ca_inter_create: an intermediate names its signing CA
			// (v2.10.0's CertificateAuthority has the field; v2.7.1's does not).
			stored["caref"] = caref
		}
	} else {
		stored["caref"], stored["type"], stored["csr"] = caref, obj["type"], ""
	}
	if target == nil {
		return nil, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "The spec has no model to store the certificate in.")
	}
	if e := sim.beforeStore(target, stored, nil); e != nil {
		return nil, e
	}
	for _, p := range target.schema.Props {
		if _, ok := stored[p.Name]; !ok && !p.WriteOnly {
			stored[p.Name] = nil
			if !p.Nullable {
				delete(stored, p.Name)
			}
		}
	}
	list := append(sim.topList(target), stored)
	sim.setTopList(target, list)
	obj["refid"], obj["crt"], obj["prv"] = stored["refid"], crt, prv
	if isCA {
		obj["serial"] = caSerial
	}
	return sim.encodeRow(row{id: int64(len(list) - 1), obj: obj}, req.m), nil
}

// randomSerial is cert_get_random_serial (certs.inc): a random positive serial number.
func randomSerial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n.Add(n, big.NewInt(1))
}

// nextCASerial is pfSense's ca_get_next_serial (certs.inc): a random serial when the CA has
// randomserial on, else its counter plus one, which the CA keeps.
func nextCASerial(ca map[string]any) *big.Int {
	if ca["randomserial"] == true {
		return randomSerial()
	}
	next := toInt(ca["serial"]) + 1
	ca["serial"] = next
	return big.NewInt(next)
}

// subjectOf is ModelTraits/CertificateModelTraits.inc to_x509_dn: the common name, then each
// of country, state, city, organization and unit that is given.
func subjectOf(obj map[string]any, cn string) pkix.Name {
	return pkix.Name{CommonName: cn, Country: nonEmpty(obj["dn_country"]), Province: nonEmpty(obj["dn_state"]), Locality: nonEmpty(obj["dn_city"]),
		Organization: nonEmpty(obj["dn_organization"]), OrganizationalUnit: nonEmpty(obj["dn_organizationalunit"])}
}

// sansOf is the subjectAltName of to_x509_dn: the DNS, email, IP and URI SANs given.
func sansOf(obj map[string]any) (dns, email []string, ips []net.IP, uris []*url.URL) {
	for _, s := range stringList(obj["dn_ip_sans"]) {
		if ip := net.ParseIP(s); ip != nil {
			ips = append(ips, ip)
		}
	}
	for _, s := range stringList(obj["dn_uri_sans"]) {
		if u, err := url.Parse(s); err == nil {
			uris = append(uris, u)
		}
	}
	return stringList(obj["dn_dns_sans"]), stringList(obj["dn_email_sans"]), ips, uris
}

// usagesFor are the key usages pfSense's openssl.cnf sections give a certificate of a type
// (usr_cert for user, server for server).
func usagesFor(tmpl *x509.Certificate, certType any) {
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	if certType == "user" {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
	}
}

func pemOf(kind string, der []byte) string {
	return strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})))
}

// storeCertificate adds a certificate entry (the `cert` list of config.xml, which the
// signing request models write to as well) and returns its id.
func (sim *Simulator) storeCertificate(obj map[string]any) (int64, *apiError) {
	target := sim.models["Certificate"]
	if target == nil {
		return 0, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "The spec has no model to store the certificate in.")
	}
	stored := map[string]any{}
	for _, p := range target.schema.Props {
		if v, ok := obj[p.Name]; ok {
			stored[p.Name] = v
		} else if p.Nullable && !p.WriteOnly {
			stored[p.Name] = nil
		}
	}
	if e := sim.beforeStore(target, stored, nil); e != nil {
		return 0, e
	}
	obj["refid"] = stored["refid"]
	list := append(sim.topList(target), stored)
	sim.setTopList(target, list)
	return int64(len(list) - 1), nil
}

// signingRequest answers POST /system/certificate/signing_request
// (Models/CertificateSigningRequest.inc _create, generate_csr: pfSense's csr_generate makes a
// key and a request with the to_x509_dn subject and SANs, stored as a certificate entry
// without crt, which a certificate update with the signed crt completes).
func (sim *Simulator) signingRequest(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	key, err := newKey(obj)
	if err != nil {
		return nil, errf(500, "CERTIFICATE_SIGNING_REQUEST_GENERATE_FAILED", "Failed to generate the certificate signing request for unknown reason.")
	}
	cn, _ := obj["dn_commonname"].(string)
	tmpl := &x509.CertificateRequest{Subject: subjectOf(obj, cn), SignatureAlgorithm: signatureAlgorithm(key, obj["digest_alg"])}
	tmpl.DNSNames, tmpl.EmailAddresses, tmpl.IPAddresses, tmpl.URIs = sansOf(obj)
	der, err := x509.CreateCertificateRequest(rand.Reader, tmpl, key)
	prvDER, err2 := x509.MarshalPKCS8PrivateKey(key)
	if err != nil || err2 != nil {
		return nil, errf(500, "CERTIFICATE_SIGNING_REQUEST_GENERATE_FAILED", "Failed to generate the certificate signing request for unknown reason.")
	}
	obj["csr"], obj["prv"] = pemOf("CERTIFICATE REQUEST", der), pemOf("PRIVATE KEY", prvDER)
	if req.ctl.dryRun {
		return sim.encodeRow(row{obj: obj}, req.m), nil
	}
	id, e := sim.storeCertificate(obj)
	if e != nil {
		return nil, e
	}
	return sim.encodeRow(row{id: id, obj: obj}, req.m), nil
}

// signSigningRequest answers POST /system/certificate/signing_request/sign
// (Models/CertificateSigningRequestSign.inc sign_csr: pfSense's csr_sign issues the request's
// subject with the SANs given here for lifetime days, its serial from ca_get_next_serial, and
// the model then stores the CA's serial plus one; the result is a certificate entry).
func (sim *Simulator) signSigningRequest(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	failed := errf(500, "CERTIFICATE_SIGNING_REQUEST_SIGN_FAILED", "Failed to sign the certificate signing request for unknown reason.")
	ca := sim.findCA(strval(obj["caref"]))
	if ca == nil {
		return nil, failed
	}
	caCert, caKey, err := parseCA(ca)
	block, _ := pem.Decode([]byte(strval(obj["csr"])))
	if err != nil || block == nil {
		return nil, failed
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil || csr.CheckSignature() != nil {
		return nil, failed
	}
	days := toInt(obj["lifetime"])
	if days <= 0 {
		days = 3650
	}
	now := sim.opts.Now()
	counter := toInt(ca["serial"])
	tmpl := &x509.Certificate{SerialNumber: nextCASerial(maps.Clone(ca)), Subject: csr.Subject,
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(time.Duration(days) * 24 * time.Hour),
		SignatureAlgorithm: signatureAlgorithm(caKey, obj["digest_alg"])}
	usagesFor(tmpl, obj["type"])
	tmpl.DNSNames, tmpl.EmailAddresses, tmpl.IPAddresses, tmpl.URIs = sansOf(obj)
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, csr.PublicKey, caKey)
	if err != nil {
		return nil, failed
	}
	obj["crt"] = pemOf("CERTIFICATE", der)
	if req.ctl.dryRun {
		return sim.encodeRow(row{obj: obj}, req.m), nil
	}
	ca["serial"] = counter + 1
	// Models/CertificateSigningRequestSign.inc: csr is representation only, never stored.
	stored := maps.Clone(obj)
	delete(stored, "csr")
	id, e := sim.storeCertificate(stored)
	if e != nil {
		return nil, e
	}
	for k, v := range stored {
		obj[k] = v // the refid and what storing set, beside the csr given
	}
	return sim.encodeRow(row{id: id, obj: obj}, req.m), nil
}

// crlText is Models/CertificateRevocationList.inc to_x509_crl through pfSense's crl_update
// (certs.inc): an X.509 v2 CRL signed by the CA (SHA-1, as crl_update asks, where the key
// allows it), number serial+1, valid for lifetime days, listing each revoked certificate's
// serial (read from its crt), revocation time and reason (-1: none).
func (sim *Simulator) crlText(obj map[string]any) (string, *apiError) {
	failed := errf(500, "CERTIFICATE_REVOCATION_LIST_FAILED_TO_GENERATE_CRL", "Failed to generate the CRL data for unknown reason.")
	ca := sim.findCA(strval(obj["caref"]))
	if ca == nil {
		return "", failed
	}
	caCert, caKey, err := parseCA(ca)
	if err != nil {
		return "", failed
	}
	now := sim.opts.Now()
	days := toInt(obj["lifetime"])
	list := &x509.RevocationList{Number: big.NewInt(toInt(obj["serial"]) + 1), ThisUpdate: now, NextUpdate: now.Add(time.Duration(days) * 24 * time.Hour)}
	for _, c := range listOf(obj["cert"]) {
		rc := asMap(c)
		block, _ := pem.Decode([]byte(strval(rc["crt"])))
		if block == nil {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			continue
		}
		entry := x509.RevocationListEntry{SerialNumber: cert.SerialNumber, RevocationTime: time.Unix(toInt(rc["revoke_time"]), 0).UTC()}
		if r := toInt(rc["reason"]); r >= 0 {
			entry.ReasonCode = int(r)
		}
		list.RevokedCertificateEntries = append(list.RevokedCertificateEntries, entry)
	}
	list.SignatureAlgorithm = x509.SHA1WithRSA
	if _, isEC := caKey.Public().(*ecdsa.PublicKey); isEC {
		list.SignatureAlgorithm = x509.ECDSAWithSHA1
	}
	der, err := x509.CreateRevocationList(rand.Reader, list, caCert, caKey)
	if err != nil {
		list.SignatureAlgorithm = 0 // the key's default, where Go will not sign SHA-1
		if der, err = x509.CreateRevocationList(rand.Reader, list, caCert, caKey); err != nil {
			return "", failed
		}
	}
	return pemOf("X509 CRL", der), nil
}

func init() {
	special["POST CertificateSigningRequest"] = (*Simulator).signingRequest
	special["POST CertificateSigningRequestSign"] = (*Simulator).signSigningRequest
	// Models/CertificateRevocationList.inc _create and _update: an internal CRL's text is made
	// on every write, and an update bumps its serial.
	createHooks["CertificateRevocationList"] = func(vc *vctx) *apiError {
		if vc.obj["method"] != "internal" {
			return nil
		}
		text, e := vc.sim.crlText(vc.obj)
		vc.obj["text"] = text
		return e
	}
	updateHooks["CertificateRevocationList"] = func(vc *vctx) *apiError {
		if vc.obj["method"] != "internal" {
			return nil
		}
		text, e := vc.sim.crlText(vc.obj)
		vc.obj["text"], vc.obj["serial"] = text, toInt(vc.obj["serial"])+1
		return e
	}
	// Models/Certificate.inc _create: pfSense's cert_import links an imported certificate to
	// the CA whose subject is its issuer, unless it is self-signed.
	createHooks["Certificate"] = func(vc *vctx) *apiError {
		vc.obj["caref"] = vc.sim.issuerRef(strval(vc.obj["crt"]))
		return nil
	}
	// Models/CertificateAuthority.inc _delete: the certificates it signed lose their caref (the
	// stored key goes; the field reads null) and its CRLs are deleted; then the CAs whose caref
	// is this CA's are deleted too. v2.7.1's CA model has no caref field, so that query's filter
	// is skipped (Core/ModelSet.inc query) and every other CA is deleted: issues #833 and #873,
	// fixed in v2.7.6 (commits 55d82e1d, 7cbd075a), which deletes no other CA.
	deleteHooks["CertificateAuthority"] = func(sim *Simulator, req *request, rw row) {
		sim.deleteCA(req, rw.obj, map[string]bool{})
	}
	// Models/CertificateRevocationListRevokedCertificate.inc apply (always_apply): the parent
	// CRL is updated, so its X509 text lists the certificates revoked now and its serial grows.
	afterHooks["CertificateRevocationListRevokedCertificate"] = func(vc *vctx, old map[string]any) {
		vc.sim.refreshCRL(vc.parent)
	}
	deleteHooks["CertificateRevocationListRevokedCertificate"] = func(sim *Simulator, req *request, rw row) {
		sim.refreshCRL(rw.parent)
	}
	// Models/Certificate.inc _update: a certificate update drops the signing request.
	updateHooks["Certificate"] = func(vc *vctx) *apiError {
		vc.obj["csr"] = nil
		return nil
	}
}

// refreshCRL is CertificateRevocationList::update on an internal CRL: new text, serial plus one.
func (sim *Simulator) refreshCRL(crl map[string]any) {
	if crl == nil || crl["method"] != "internal" {
		return
	}
	if text, e := sim.crlText(crl); e == nil {
		crl["text"], crl["serial"] = text, toInt(crl["serial"])+1
	}
}

// issuerRef is cert_import's issuer lookup (src/etc/inc/certs.inc cert_import and
// lookup_ca_by_subject): the refid of the first CA whose subject is the certificate's issuer,
// or nil for a self-signed certificate or an unknown issuer.
func (sim *Simulator) issuerRef(crtPEM string) any {
	block, _ := pem.Decode([]byte(crtPEM))
	if block == nil {
		return nil
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil || bytes.Equal(cert.RawIssuer, cert.RawSubject) {
		return nil
	}
	for _, ca := range sim.st.Lists["CertificateAuthority"] {
		cb, _ := pem.Decode([]byte(strval(ca["crt"])))
		if cb == nil {
			continue
		}
		if c, err := x509.ParseCertificate(cb.Bytes); err == nil && bytes.Equal(c.RawSubject, cert.RawIssuer) {
			return ca["refid"]
		}
	}
	return nil
}

func (sim *Simulator) findCA(refid string) map[string]any {
	for _, ca := range sim.st.Lists["CertificateAuthority"] {
		if ca["refid"] == refid {
			return ca
		}
	}
	return nil
}

func parseCA(ca map[string]any) (*x509.Certificate, crypto.Signer, error) {
	crtPEM, _ := ca["crt"].(string)
	prvPEM, _ := ca["prv"].(string)
	cb, _ := pem.Decode([]byte(crtPEM))
	kb, _ := pem.Decode([]byte(prvPEM))
	if cb == nil || kb == nil {
		return nil, nil, fmt.Errorf("no certificate or key")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	signer, err := parsePrivateKey(kb)
	if err != nil {
		return nil, nil, err
	}
	return cert, signer, nil
}

// parsePrivateKey reads a PEM key block as pfSense stores them: PKCS#8, or the older RSA
// and EC forms.
func parsePrivateKey(kb *pem.Block) (crypto.Signer, error) {
	var key any
	var err error
	switch kb.Type {
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(kb.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(kb.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(kb.Bytes)
	}
	if err != nil {
		return nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("the key cannot sign")
	}
	return signer, nil
}

// maxRSABits bounds the RSA keys the simulator makes: a larger keylen (6144 to 15360, which a
// firewall takes minutes over too) gets a 4096-bit key, so that a test choosing among the
// keylen choices stays quick (README: what the simulator does not reproduce).
const maxRSABits = 4096

// newKey makes the key a generate call asks for: RSA of keylen bits (2048 when unset) or ECDSA
// on ecname (prime256v1 when unset or a curve Go has no implementation of).
func newKey(obj map[string]any) (crypto.Signer, error) {
	if kt, _ := obj["keytype"].(string); kt == "ECDSA" {
		curve := elliptic.P256()
		switch obj["ecname"] {
		case "secp384r1":
			curve = elliptic.P384()
		case "secp521r1":
			curve = elliptic.P521()
		}
		return ecdsa.GenerateKey(curve, rand.Reader)
	}
	bits := 2048
	if n, ok := obj["keylen"].(int64); ok && n >= 1024 {
		bits = min(int(n), maxRSABits)
	}
	return rsa.GenerateKey(rand.Reader, bits)
}

// signatureAlgorithm is the signature the signing key makes with digest_alg (sha256 when unset
// or unknown).
func signatureAlgorithm(signer crypto.Signer, digest any) x509.SignatureAlgorithm {
	d, _ := digest.(string)
	if _, isEC := signer.Public().(*ecdsa.PublicKey); isEC {
		switch d {
		case "sha384":
			return x509.ECDSAWithSHA384
		case "sha512":
			return x509.ECDSAWithSHA512
		}
		return x509.ECDSAWithSHA256
	}
	switch d {
	case "sha384":
		return x509.SHA384WithRSA
	case "sha512":
		return x509.SHA512WithRSA
	}
	return x509.SHA256WithRSA
}

func nonEmpty(v any) []string {
	if s, ok := v.(string); ok && s != "" {
		return []string{s}
	}
	return nil
}

func stringList(v any) []string {
	items, _ := v.([]any)
	var out []string
	for _, it := range items {
		if s, ok := it.(string); ok && strings.TrimSpace(s) != "" {
			out = append(out, s)
		}
	}
	return out
}

// crlRevokedCertificate is CertificateRevocationListRevokedCertificate::validate_extra: only an
// internal CRL revokes (406), and a certref copies the certificate's description, CA, type,
// certificate and key into the entry. The method also copies `$cert->serial`, a field
// Certificate does not have: PHP reads it as null with a warning, so serial is null.
func crlRevokedCertificate(vc *vctx) *apiError {
	if vc.parent != nil && vc.parent["method"] != "internal" {
		return errf(406, "CERTIFICATE_REVOCATION_LIST_REVOKED_CERTIFICATE_PARENT_NOT_INTERNAL", "Parent CRL with '%s' can't revoke certificates because it's an external CRL.", strval(vc.parentID))
	}
	ref := strval(vc.obj["certref"])
	if ref == "" {
		return nil
	}
	for _, c := range vc.sim.st.Lists["Certificate"] {
		if strval(c["refid"]) == ref {
			for _, f := range []string{"descr", "caref", "type", "crt", "prv"} {
				vc.obj[f] = c[f]
			}
			vc.obj["serial"] = nil
			break
		}
	}
	return nil
}

// renewCertificate answers POST /system/certificate/renew and
// /system/certificate_authority/renew (Models/CertificateRenew.inc and
// CertificateAuthorityRenew.inc: validate_certref/validate_caref, then _create calling pfSense's
// cert_renew in src/etc/inc/certs.inc). The certificate is signed again, by its CA or by
// itself, with the same subject, SANs and usages, for the lifetime it had (whole days, capped at
// 398 for a server certificate under strictsecurity), with the existing key unless reusekey is
// false and the same serial unless reuseserial is false. Renewing with a CA takes the CA's next
// serial even when the old one is kept (ca_get_next_serial runs first).
func (sim *Simulator) renewCertificate(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	isCA := req.m.name == "CertificateAuthorityRenew"
	listName, refField, unavailable, what := "Certificate", "certref", "CERTIFICATE_RENEW_UNAVAILABLE", "Certificate"
	if isCA {
		listName, refField, unavailable, what = "CertificateAuthority", "caref", "CERTIFICATE_AUTHORITY_RENEW_UNAVAILABLE", "Certificate Authority"
	}
	target := sim.models[listName]
	if target == nil {
		return nil, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "The spec has no model %s.", listName)
	}
	ref := strval(obj[refField])
	list := sim.topList(target)
	idx := -1
	for i, c := range list {
		if c["refid"] == ref {
			idx = i
		}
	}
	if idx < 0 {
		return nil, errf(404, "MODEL_OBJECT_NOT_FOUND", "%s with refid `%s` does not exist.", what, ref)
	}
	entry := list[idx]
	old, oldKey, err := parseCA(entry)
	notRenewable := errf(406, unavailable, "%s with refid `%s` is not capable of being renewed.", what, ref)
	if err != nil {
		return nil, notRenewable // is_cert_locally_renewable: no crt or no prv
	}
	// is_cert_locally_renewable: signed by a CA of this firewall that has its key, or self-signed.
	var ca map[string]any
	var caCert *x509.Certificate
	var caKey crypto.Signer
	if caref := strval(entry["caref"]); caref != "" {
		if ca = sim.findCA(caref); ca != nil {
			caCert, caKey, err = parseCA(ca)
			if err != nil {
				ca = nil
			}
		}
	}
	selfSigned := bytes.Equal(old.RawSubject, old.RawIssuer)
	if ca == nil && !selfSigned {
		return nil, notRenewable
	}
	reuseKey := obj["reusekey"] != false
	strict := obj["strictsecurity"] == true
	lifetime := time.Duration(math.Round(old.NotAfter.Sub(old.NotBefore).Hours()/24)) * 24 * time.Hour
	isServer := !isCA && (entry["type"] == "server" || (entry["type"] == nil && slices.Contains(old.ExtKeyUsage, x509.ExtKeyUsageServerAuth)))
	if strict && isServer && lifetime > 398*24*time.Hour {
		lifetime = 398 * 24 * time.Hour // $cert_strict_values['max_server_cert_lifetime']
	}
	key := oldKey
	if rk, ok := oldKey.(*rsa.PrivateKey); ok && strict && rk.N.BitLen() < 2048 {
		reuseKey = false // min_private_key_bits
	}
	if !reuseKey {
		spec := map[string]any{"keytype": "RSA", "keylen": int64(2048)}
		switch k := oldKey.(type) {
		case *rsa.PrivateKey:
			bits := k.N.BitLen()
			if strict {
				bits = max(bits, 2048) // min_private_key_bits
			}
			spec["keylen"] = int64(bits)
		case *ecdsa.PrivateKey:
			spec["keytype"], spec["ecname"] = "ECDSA", map[string]string{"P-384": "secp384r1", "P-521": "secp521r1"}[k.Curve.Params().Name]
		}
		if key, err = newKey(spec); err != nil {
			return nil, errf(500, "CERTIFICATE_RENEW_FAILED", "Failed to renew the %s for unknown reason.", what)
		}
	}
	serial := randomSerial()
	if ca != nil {
		serial = nextCASerial(ca)
	}
	if obj["reuseserial"] != false {
		serial = old.SerialNumber
	}
	now := sim.opts.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial, RawSubject: old.RawSubject, NotBefore: now, NotAfter: now.Add(lifetime),
		KeyUsage: old.KeyUsage, ExtKeyUsage: old.ExtKeyUsage, IsCA: old.IsCA, BasicConstraintsValid: old.BasicConstraintsValid,
		DNSNames: old.DNSNames, IPAddresses: old.IPAddresses, EmailAddresses: old.EmailAddresses, URIs: old.URIs,
	}
	parent, signer := tmpl, key
	if ca != nil {
		parent, signer = caCert, caKey
	}
	// The digest is kept (signatureTypeSN); strictsecurity replaces a weak one (is_weak_digest)
	// with sha256. MD5 and MD2, which Go does not sign with, become sha256 too.
	tmpl.SignatureAlgorithm = old.SignatureAlgorithm
	weak := old.SignatureAlgorithm == x509.SHA1WithRSA || old.SignatureAlgorithm == x509.ECDSAWithSHA1
	if (strict && weak) || !sameKeyFamily(signer, old.SignatureAlgorithm) {
		tmpl.SignatureAlgorithm = signatureAlgorithm(signer, "sha256")
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, key.Public(), signer)
	if err != nil {
		return nil, errf(500, "CERTIFICATE_RENEW_FAILED", "Failed to renew the %s for unknown reason.", what)
	}
	prvDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, errf(500, "CERTIFICATE_RENEW_FAILED", "Failed to renew the %s for unknown reason.", what)
	}
	renewed := make(map[string]any, len(entry))
	for k, v := range entry {
		renewed[k] = v
	}
	renewed["crt"] = strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	if !reuseKey {
		// openssl_pkey_export writes a new key as PKCS#8; a reused key is kept as stored.
		renewed["prv"] = strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: prvDER})))
	}
	next := slices.Clone(list)
	next[idx] = renewed
	sim.setTopList(target, next)
	// cert_get_serial: openssl_x509_parse's serialNumber, in decimal.
	obj["oldserial"], obj["newserial"] = old.SerialNumber.String(), serial.String()
	return sim.encodeRow(row{obj: obj}, req.m), nil
}

// sameKeyFamily says whether a signature algorithm is one the signer's key type makes.
func sameKeyFamily(signer crypto.Signer, alg x509.SignatureAlgorithm) bool {
	switch signer.(type) {
	case *ecdsa.PrivateKey:
		return alg == x509.ECDSAWithSHA1 || alg == x509.ECDSAWithSHA256 || alg == x509.ECDSAWithSHA384 || alg == x509.ECDSAWithSHA512
	case *rsa.PrivateKey:
		switch alg {
		case x509.SHA1WithRSA, x509.SHA256WithRSA, x509.SHA384WithRSA, x509.SHA512WithRSA,
			x509.SHA256WithRSAPSS, x509.SHA384WithRSAPSS, x509.SHA512WithRSAPSS:
			return true
		}
	}
	return false
}

// deleteCA runs CertificateAuthority::_delete's side effects for a CA just removed from the
// list: its certificates unlinked, its CRLs deleted and, before v2.7.6, every other CA deleted
// in turn (each with its own side effects).
func (sim *Simulator) deleteCA(req *request, ca map[string]any, done map[string]bool) {
	refid := strval(ca["refid"])
	done[refid] = true
	for _, c := range sim.st.Lists["Certificate"] {
		if strval(c["caref"]) == refid {
			c["caref"] = nil
		}
	}
	sim.dropWhere("CertificateRevocationList", "caref", refid)
	if versionAtLeast(sim.cat.APIVersion, 2, 7, 6) {
		return
	}
	var gone, left []map[string]any
	for _, other := range sim.st.Lists["CertificateAuthority"] {
		if r := strval(other["refid"]); !done[r] {
			gone = append(gone, other)
			continue
		}
		left = append(left, other)
	}
	sim.st.Lists["CertificateAuthority"] = left
	for _, other := range gone {
		sim.deleteCA(req, other, done)
	}
}
