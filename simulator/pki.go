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
	"math"
	"math/big"
	"net"
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
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn, Organization: nonEmpty(obj["dn_organization"]), Country: nonEmpty(obj["dn_country"])},
		NotBefore:    now.Add(-time.Minute), NotAfter: now.Add(time.Duration(days) * 24 * time.Hour),
	}
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid = true, true
		tmpl.KeyUsage = x509.KeyUsageCertSign | x509.KeyUsageCRLSign
	} else {
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		if obj["type"] == "user" {
			tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		}
		tmpl.DNSNames = append(tmpl.DNSNames, stringList(obj["dn_dns_sans"])...)
		for _, s := range stringList(obj["dn_ip_sans"]) {
			if ip := net.ParseIP(s); ip != nil {
				tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
			}
		}
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
	crt := strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	prv := strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: prvDER})))
	stored := map[string]any{"descr": obj["descr"], "crt": crt, "prv": prv}
	target := sim.models["Certificate"]
	if isCA {
		target = sim.models["CertificateAuthority"]
		stored["trust"], stored["randomserial"], stored["serial"] = obj["trust"], obj["randomserial"], int64(1)
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
		obj["serial"] = int64(1)
	}
	return sim.encodeRow(row{id: int64(len(list) - 1), obj: obj}, req.m), nil
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
	var key any
	switch kb.Type {
	case "EC PRIVATE KEY":
		key, err = x509.ParseECPrivateKey(kb.Bytes)
	case "RSA PRIVATE KEY":
		key, err = x509.ParsePKCS1PrivateKey(kb.Bytes)
	default:
		key, err = x509.ParsePKCS8PrivateKey(kb.Bytes)
	}
	if err != nil {
		return nil, nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, nil, fmt.Errorf("the key cannot sign")
	}
	return cert, signer, nil
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
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if ca != nil {
		// ca_get_next_serial: a random serial when the CA randomizes, else its counter plus one.
		next := toInt(ca["serial"]) + 1
		ca["serial"] = next
		if ca["randomserial"] != true {
			serial = big.NewInt(next)
		}
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
