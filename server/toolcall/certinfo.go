package toolcall

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/generator/toolspec"
)

// certModels are the models whose objects carry a PEM certificate in `crt` (the REST API returns
// it as text and nothing else: Models/Certificate.inc, Models/CertificateAuthority.inc).
var certModels = map[string]bool{"Certificate": true, "CertificateAuthority": true}

// CertificatesKey is where a read of certificates puts what each one's crt says.
const CertificatesKey = "certificates_parsed"

// certValidity reads each certificate in rows (objects with a crt) as pfSense's GUI shows it:
// subject, issuer, validity with the days left on the firewall's clock, names, key and
// signature. A model cannot decode PEM itself, and "which certificates expire this year" needs
// the dates. Nil when no row has a readable crt.
func certValidity(t *toolspec.Tool, rows []any, now time.Time) []any {
	if !certModels[t.Model] || t.Mutation {
		return nil
	}
	var out []any
	for _, r := range rows {
		obj, _ := r.(map[string]any)
		crt, _ := obj["crt"].(string)
		block, _ := pem.Decode([]byte(crt))
		if block == nil {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			continue
		}
		info := map[string]any{
			"id": obj["id"], "descr": obj["descr"], "refid": obj["refid"],
			"subject": c.Subject.String(), "issuer": c.Issuer.String(), "self_signed": c.Subject.String() == c.Issuer.String(),
			"serial":     c.SerialNumber.String(),
			"not_before": c.NotBefore.UTC().Format(time.RFC3339), "not_after": c.NotAfter.UTC().Format(time.RFC3339),
			"days_left": int(math.Floor(c.NotAfter.Sub(now).Hours() / 24)), "expired": now.After(c.NotAfter),
			"algorithm": keyText(c), "signature": c.SignatureAlgorithm.String(), "ca": c.IsCA,
		}
		var names []string
		names = append(names, c.DNSNames...)
		for _, ip := range c.IPAddresses {
			names = append(names, ip.String())
		}
		if len(names) > 0 {
			info["alt_names"] = strings.Join(names, ", ")
		}
		out = append(out, info)
	}
	return out
}

func keyText(c *x509.Certificate) string {
	switch k := c.PublicKey.(type) {
	case *rsa.PublicKey:
		return fmt.Sprintf("RSA %d", k.N.BitLen())
	case *ecdsa.PublicKey:
		return "ECDSA " + k.Curve.Params().Name
	case ed25519.PublicKey:
		return "Ed25519"
	}
	return c.PublicKeyAlgorithm.String()
}

// renewals are the renewal models, the list their certificate is in and the argument naming it.
var renewals = map[string]struct{ list, ref string }{
	"CertificateRenew":          {"/api/v2/system/certificates", "certref"},
	"CertificateAuthorityRenew": {"/api/v2/system/certificate_authorities", "caref"},
}

// renewed reads the certificate a renewal re-signed, so that the answer shows its new validity
// (the renewal's own answer has only the serials). Nil when it cannot be read.
func (d *Dispatcher) renewed(ctx context.Context, t *toolspec.Tool, args map[string]any, now time.Time) []any {
	r, ok := renewals[t.Model]
	ref, _ := args[r.ref].(string)
	if !ok || ref == "" {
		return nil
	}
	list, ok := d.Inventory().ByRoute("GET", r.list)
	if !ok {
		return nil
	}
	v, err := d.Read(ctx, list.Name, map[string]any{"query": map[string]any{"refid": ref}})
	rows, _ := v.([]any)
	if err != nil || len(rows) == 0 {
		return nil
	}
	return certValidity(&toolspec.Tool{Model: list.Model}, rows, now)
}
