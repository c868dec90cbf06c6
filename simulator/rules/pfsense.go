package rules

import (
	_ "embed"
	"maps"
	"slices"
	"strings"
)

// Values that pfSense itself defines (pfsense/pfsense RELENG_2_7_2), which the REST API's
// choices callables return and its validate methods check against: what a firewall answers,
// which the package's schema dump (made outside a firewall) leaves empty. Each names the
// pfSense source it copies. The callables whose answers depend on the installed OpenVPN build
// (ciphers, digests), on the disk (python scripts) or on the configuration (interfaces, users)
// are not here; the time zones are FreeBSD's tz database, the curves OpenSSL 3.0's.

// StaticChoices returns what the choices callable returns on pfSense, when that does not
// depend on the firewall's configuration; nil for the others.
func StaticChoices(callable string) []any {
	switch callable {
	case "get_digest_alg_choices":
		return digestAlgs
	case "get_dh_length_choices":
		return dhLengths
	case "get_country_choices":
		return countryCodes
	case "get_timezone_choices":
		return timezones
	case "get_ecname_choices":
		return curveNames
	case "get_ecdh_curve_choices":
		return openvpnCurves
	case "get_available_cipher_choices":
		return openvpnCiphers
	case "get_acmeserver_choices":
		return acmeServers
	}
	return nil
}

// openvpnCurves is get_ecdh_curve_choices (Models/OpenVPNServer.inc): the keys of pfSense's
// openvpn_get_curvelist() (src/etc/inc/openvpn.inc), "none" and $cert_curve_compatible's
// OpenVPN curves (src/etc/inc/certs.inc).
var openvpnCurves = []any{"none", "prime256v1", "secp384r1", "secp521r1"}

// acmeServers is get_acmeserver_choices (Models/ACMEAccountKey.inc): the keys of the ACME
// package's $a_acmeserver (pfsense/FreeBSD-ports security/pfSense-pkg-acme
// files/usr/local/pkg/acme/acme.inc, blob of commit 66576463, PORTVERSION 0.9, lines 172-204).
var acmeServers = []any{
	"letsencrypt-staging-2", "letsencrypt-production-2", "buypass-staging", "buypass-production",
	"zerossl-production", "sslcom-rsa-production", "sslcom-ecc-production", "google-staging", "google-production",
}

// openvpnCiphers is get_available_cipher_choices (Models/OpenVPNServer.inc, OpenVPNClient.inc):
// the keys of pfSense's openvpn_get_cipherlist() (src/etc/inc/openvpn.inc), which are the names
// `openvpn --show-ciphers` prints on lines with a key size, sorted, then "none". The list is what
// OpenVPN 2.6 prints over OpenSSL 3 without the legacy provider (regenerate with:
//
//	openvpn --show-ciphers | grep '(.*key' | sort | awk '{print $1}'
//
// on Debian 12's openvpn package), less SM4-GCM, which OpenSSL offers from 3.2 on (pfSense 2.7.2
// ships 3.0).
var openvpnCiphers = []any{
	"AES-128-CBC", "AES-128-CFB", "AES-128-CFB1", "AES-128-CFB8", "AES-128-GCM", "AES-128-OFB",
	"AES-192-CBC", "AES-192-CFB", "AES-192-CFB1", "AES-192-CFB8", "AES-192-GCM", "AES-192-OFB",
	"AES-256-CBC", "AES-256-CFB", "AES-256-CFB1", "AES-256-CFB8", "AES-256-GCM", "AES-256-OFB",
	"ARIA-128-CBC", "ARIA-128-CFB", "ARIA-128-CFB1", "ARIA-128-CFB8", "ARIA-128-GCM", "ARIA-128-OFB",
	"ARIA-192-CBC", "ARIA-192-CFB", "ARIA-192-CFB1", "ARIA-192-CFB8", "ARIA-192-GCM", "ARIA-192-OFB",
	"ARIA-256-CBC", "ARIA-256-CFB", "ARIA-256-CFB1", "ARIA-256-CFB8", "ARIA-256-GCM", "ARIA-256-OFB",
	"CAMELLIA-128-CBC", "CAMELLIA-128-CFB", "CAMELLIA-128-CFB1", "CAMELLIA-128-CFB8", "CAMELLIA-128-OFB",
	"CAMELLIA-192-CBC", "CAMELLIA-192-CFB", "CAMELLIA-192-CFB1", "CAMELLIA-192-CFB8", "CAMELLIA-192-OFB",
	"CAMELLIA-256-CBC", "CAMELLIA-256-CFB", "CAMELLIA-256-CFB1", "CAMELLIA-256-CFB8", "CAMELLIA-256-OFB",
	"CHACHA20-POLY1305",
	"DES-EDE-CBC", "DES-EDE-CFB", "DES-EDE-OFB", "DES-EDE3-CBC", "DES-EDE3-CFB", "DES-EDE3-CFB1", "DES-EDE3-CFB8", "DES-EDE3-OFB",
	"SM4-CBC", "SM4-CFB", "SM4-OFB",
	"none",
}

// curveNames is what ModelTraits/CertificateModelTraits.inc get_ecname_choices returns: the
// keys of pfSense's cert_build_curve_list() (src/etc/inc/certs.inc), which are PHP's
// openssl_get_curve_names(), OpenSSL's built-in curves by short name (EC_get_builtin_curves).
// FreeBSD 14's base OpenSSL is 3.0, whose list `openssl ecparam -list_curves` prints in this
// order (OpenSSL 3.0.x as Debian 12 ships it; the built-in table is the library's, not the
// distribution's).
var curveNames = []any{
	"secp112r1", "secp112r2", "secp128r1", "secp128r2", "secp160k1", "secp160r1", "secp160r2",
	"secp192k1", "secp224k1", "secp224r1", "secp256k1", "secp384r1", "secp521r1", "prime192v1",
	"prime192v2", "prime192v3", "prime239v1", "prime239v2", "prime239v3", "prime256v1", "sect113r1",
	"sect113r2", "sect131r1", "sect131r2", "sect163k1", "sect163r1", "sect163r2", "sect193r1",
	"sect193r2", "sect233k1", "sect233r1", "sect239k1", "sect283k1", "sect283r1", "sect409k1",
	"sect409r1", "sect571k1", "sect571r1", "c2pnb163v1", "c2pnb163v2", "c2pnb163v3", "c2pnb176v1",
	"c2tnb191v1", "c2tnb191v2", "c2tnb191v3", "c2pnb208w1", "c2tnb239v1", "c2tnb239v2", "c2tnb239v3",
	"c2pnb272w1", "c2pnb304w1", "c2tnb359v1", "c2pnb368w1", "c2tnb431r1", "wap-wsg-idm-ecid-wtls1",
	"wap-wsg-idm-ecid-wtls3", "wap-wsg-idm-ecid-wtls4", "wap-wsg-idm-ecid-wtls5",
	"wap-wsg-idm-ecid-wtls6", "wap-wsg-idm-ecid-wtls7", "wap-wsg-idm-ecid-wtls8",
	"wap-wsg-idm-ecid-wtls9", "wap-wsg-idm-ecid-wtls10", "wap-wsg-idm-ecid-wtls11",
	"wap-wsg-idm-ecid-wtls12", "Oakley-EC2N-3", "Oakley-EC2N-4", "brainpoolP160r1", "brainpoolP160t1",
	"brainpoolP192r1", "brainpoolP192t1", "brainpoolP224r1", "brainpoolP224t1", "brainpoolP256r1",
	"brainpoolP256t1", "brainpoolP320r1", "brainpoolP320t1", "brainpoolP384r1", "brainpoolP384t1",
	"brainpoolP512r1", "brainpoolP512t1", "SM2",
}

//go:embed timezones.tab
var timezonesTxt string

// timezones is timezones.tab without its comments: system_get_timezone_list().
var timezones = func() []any {
	var out []any
	for _, line := range strings.Split(timezonesTxt, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}()

// digestAlgs is $openssl_digest_algs (src/etc/inc/certs.inc), get_digest_alg_choices.
var digestAlgs = []any{"sha1", "sha224", "sha256", "sha384", "sha512"}

// dhLengths is $openvpn_dh_lengths (src/etc/inc/openvpn.inc) without the lengths whose
// /etc/dh-parameters.N file pfSense does not ship (src/etc/ has 1024, 2048, 3072, 4096, 6144
// and 8192; 7680, 15360 and 16384 are unset), keys as strings (get_dh_length_choices).
var dhLengths = []any{"1024", "2048", "3072", "4096", "6144", "8192", "none"}

// countryCodes is get_cert_country_codes() (src/etc/inc/pfsense-utils.inc): "" (None), US, CA,
// then the other ISO 3166-1 alpha-2 codes of src/usr/local/share/pfSense/iso_3166-1_list_en.xml
// in key order (get_country_choices).
var countryCodes = func() []any {
	rest := []string{"AF", "AX", "AL", "DZ", "AS", "AD", "AO", "AI", "AQ", "AG", "AR", "AM", "AW", "AU", "AT", "AZ", "BS", "BH",
		"BD", "BB", "BY", "BE", "BZ", "BJ", "BM", "BT", "BO", "BA", "BW", "BV", "BR", "IO", "BN", "BG", "BF", "BI", "KH", "CM",
		"CV", "KY", "CF", "TD", "CL", "CN", "CX", "CC", "CO", "KM", "CG", "CD", "CK", "CR", "CI", "HR", "CU", "CY", "CZ", "DK",
		"DJ", "DM", "DO", "EC", "EG", "SV", "GQ", "ER", "EE", "ET", "FK", "FO", "FJ", "FI", "FR", "GF", "PF", "TF", "GA", "GM",
		"GE", "DE", "GH", "GI", "GR", "GL", "GD", "GP", "GU", "GT", "GG", "GN", "GW", "GY", "HT", "HM", "VA", "HN", "HK", "HU",
		"IS", "IN", "ID", "IR", "IQ", "IE", "IM", "IL", "IT", "JM", "JP", "JE", "JO", "KZ", "KE", "KI", "KP", "KR", "KW", "KG",
		"LA", "LV", "LB", "LS", "LR", "LY", "LI", "LT", "LU", "MO", "MK", "MG", "MW", "MY", "MV", "ML", "MT", "MH", "MQ", "MR",
		"MU", "YT", "MX", "FM", "MD", "MC", "MN", "ME", "MS", "MA", "MZ", "MM", "NA", "NR", "NP", "NL", "AN", "NC", "NZ", "NI",
		"NE", "NG", "NU", "NF", "MP", "NO", "OM", "PK", "PW", "PS", "PA", "PG", "PY", "PE", "PH", "PN", "PL", "PT", "PR", "QA",
		"RE", "RO", "RU", "RW", "BL", "SH", "KN", "LC", "MF", "PM", "VC", "WS", "SM", "ST", "SA", "SN", "RS", "SC", "SL", "SG",
		"SK", "SI", "SB", "SO", "ZA", "GS", "ES", "LK", "SD", "SR", "SJ", "SZ", "SE", "CH", "SY", "TW", "TJ", "TZ", "TH", "TL",
		"TG", "TK", "TO", "TT", "TN", "TR", "TM", "TC", "TV", "UG", "UA", "AE", "GB", "UM", "UY", "UZ", "VU", "VE", "VN", "VG",
		"VI", "WF", "EH", "YE", "ZM", "ZW"}
	slices.Sort(rest)
	out := []any{"", "US", "CA"}
	for _, c := range rest {
		out = append(out, c)
	}
	return out
}()

// keySel is the 'keysel' of an encryption algorithm in $p1_ealgos and $p2_ealgos
// (src/etc/inc/ipsec.inc; both lists are the same): the key lengths lo, lo+step, ..., hi.
type keySel struct{ lo, hi, step int64 }

var ipsecKeySel = map[string]*keySel{
	"aes":              {128, 256, 64},
	"aes128gcm":        {64, 128, 32},
	"aes192gcm":        {64, 128, 32},
	"aes256gcm":        {64, 128, 32},
	"chacha20poly1305": nil, // no key length selection
}

// IPsecKeylens is get_supported_keylens(name) (Models/IPsecPhase1Encryption.inc,
// IPsecPhase2Encryption.inc): the lengths the algorithm offers, none for one without keysel;
// ok is false for an unknown algorithm.
func IPsecKeylens(name string) (lens []any, ok bool) {
	ks, ok := ipsecKeySel[name]
	if !ok {
		return nil, false
	}
	if ks != nil {
		for n := ks.lo; n <= ks.hi; n += ks.step {
			lens = append(lens, n)
		}
	}
	return lens, true
}

// ipsecKeylenFields are the key-length fields the IPsec encryption models check against
// their algorithm's lengths (validate_encryption_algorithm_keylen, validate_keylen), with the
// field naming the algorithm.
var ipsecKeylenFields = map[string]string{
	"IPsecPhase1Encryption.encryption_algorithm_keylen": "encryption_algorithm_name",
	"IPsecPhase2Encryption.keylen":                      "name",
}

// IPsecKeylenField reports whether model.field is an IPsec key length checked against its
// algorithm, and names the algorithm's field.
func IPsecKeylenField(model, field string) (algoField string, ok bool) {
	algoField, ok = ipsecKeylenFields[model+"."+field]
	return algoField, ok
}

// SharedIPsecKeylens are the key lengths every algorithm with a key length offers (128): a
// value valid whichever of them the object uses.
func SharedIPsecKeylens() []any {
	var shared []any
	first := true
	for _, name := range slices.Sorted(maps.Keys(ipsecKeySel)) {
		lens, _ := IPsecKeylens(name)
		if len(lens) == 0 {
			continue
		}
		if first {
			shared, first = lens, false
			continue
		}
		shared = slices.DeleteFunc(shared, func(v any) bool { return !slices.Contains(lens, v) })
	}
	return shared
}

// IPsecKeylenAlgorithms are the algorithms with a key length selection, in name order: what
// get_keylen_enabled_algos() returns on pfSense, the values of the key-length fields'
// condition (the schema dump, made without pfSense's tables, has an empty list there).
func IPsecKeylenAlgorithms() []any {
	var out []any
	for _, name := range slices.Sorted(maps.Keys(ipsecKeySel)) {
		if ipsecKeySel[name] != nil {
			out = append(out, name)
		}
	}
	return out
}

// Keys of pfSense's IPsec tables (src/etc/inc/ipsec.inc), in their order: the choices of the
// IPsec fields that the REST API builds with array_keys() of them (Models/IPsecPhase1Encryption.inc,
// IPsecPhase2.inc, IPsecPhase2Encryption.inc).
var (
	ipsecEalgos      = []any{"aes", "aes128gcm", "aes192gcm", "aes256gcm", "chacha20poly1305"}                                                                                                                                                                              // $p1_ealgos, $p2_ealgos
	ipsecP1Halgos    = []any{"sha1", "sha256", "sha384", "sha512", "aesxcbc"}                                                                                                                                                                                               // $p1_halgos
	ipsecP1DHGroups  = []any{int64(1), int64(2), int64(5), int64(14), int64(15), int64(16), int64(17), int64(18), int64(19), int64(20), int64(21), int64(22), int64(23), int64(24), int64(25), int64(26), int64(27), int64(28), int64(29), int64(30), int64(31), int64(32)} // $p1_dhgroups
	ipsecP2Halgos    = []any{"hmac_sha1", "hmac_sha256", "hmac_sha384", "hmac_sha512", "aesxcbc"}                                                                                                                                                                           // $p2_halgos
	ipsecP2Modes     = []any{"tunnel", "tunnel6", "transport", "vti"}                                                                                                                                                                                                       // $p2_modes
	ipsecP2PFSGroups = append([]any{int64(0)}, ipsecP1DHGroups...)                                                                                                                                                                                                          // $p2_pfskeygroups: 0 (off), then the DH groups
)

var ipsecTableChoices = map[string][]any{
	"IPsecPhase1Encryption.encryption_algorithm_name": ipsecEalgos,
	"IPsecPhase1Encryption.hash_algorithm":            ipsecP1Halgos,
	"IPsecPhase1Encryption.prf_algorithm":             ipsecP1Halgos,
	"IPsecPhase1Encryption.dhgroup":                   ipsecP1DHGroups,
	"IPsecPhase2.hash_algorithm_option":               ipsecP2Halgos,
	"IPsecPhase2.mode":                                ipsecP2Modes,
	"IPsecPhase2.pfsgroup":                            ipsecP2PFSGroups,
	"IPsecPhase2Encryption.name":                      ipsecEalgos,
}

// TableChoices returns the choices of model.field that the REST API takes from one of
// pfSense's tables (the IPsec algorithms, hashes, DH groups and modes), nil for other fields:
// the schema dump, made without pfSense's tables, lists them empty.
func TableChoices(model, field string) []any { return ipsecTableChoices[model+"."+field] }
