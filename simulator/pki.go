package simulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
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
// certificate (or CA) list, where the plural endpoints show it. Keys are always ECDSA P-256:
// RSA key generation would take the simulator far longer than a real firewall's answer,
// and the spec's 1024-character strings cannot hold RSA PEMs anyway.
func (sim *Simulator) generateCertificate(req *request) ([]byte, *apiError) {
	obj, e := sim.actionInput(req)
	if e != nil {
		return nil, e
	}
	isCA := req.m.name == "CertificateAuthorityGenerate"
	var parentCert *x509.Certificate
	var parentKey *ecdsa.PrivateKey
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
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
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
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, &key.PublicKey, parentKey)
	if err != nil {
		return nil, errf(400, "CERTIFICATE_GENERATION_FAILED", "Could not generate the certificate: %v", err)
	}
	prvDER, _ := x509.MarshalECPrivateKey(key)
	crt := strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	prv := strings.TrimSpace(string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: prvDER})))
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

func parseCA(ca map[string]any) (*x509.Certificate, *ecdsa.PrivateKey, error) {
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
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, nil, err
	}
	return cert, key, nil
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
