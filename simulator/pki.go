package simulator

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
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
