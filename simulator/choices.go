package simulator

import (
	"fmt"
	"slices"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/rules"
)

// The choices callables and key-length checks that follow pfSense's own tables
// (simulator/rules/pfsense.go) or the simulated configuration. Callables whose answers depend on
// the installed OpenVPN build (ciphers, digests) or on the disk (python scripts) are not
// reproduced: those fields accept any value (README, "What is
// not faithful").

// keylenCheck is validate_encryption_algorithm_keylen (IPsecPhase1Encryption, keyed by
// encryption_algorithm_name) and validate_keylen (IPsecPhase2Encryption, keyed by name) of
// v2.7.1; v2.10.0 makes phase 2's a choices callable instead (its model lists no such method),
// so the hook runs only where the rules name the method.
// (The algorithm field's own choices, the keys of the same list, have refused an unknown
// algorithm before the hook runs.)
func keylenCheck(method, algoField, responseID, format string) fieldHook {
	return func(vc *vctx, v any) (any, *apiError) {
		if vc.m.info == nil || !slices.Contains(vc.m.info.Custom, method) {
			return v, nil
		}
		algo := strval(vc.obj[algoField])
		lens, ok := rules.IPsecKeylens(algo)
		if ok && !inArray(toInt(v), lens) {
			return nil, errf(400, responseID, format, toInt(v), algo)
		}
		return v, nil
	}
}

func init() {
	fieldHooks["IPsecPhase1Encryption"] = map[string]fieldHook{
		"encryption_algorithm_keylen": keylenCheck("validate_encryption_algorithm_keylen", "encryption_algorithm_name",
			"IPSEC_PHASE_1_ENCRYPTION_ALGORITHM_KEYLEN_INVALID_CHOICE", "Field `encryption_algorithm_keylen` value `%d` is not valid for `%s` algorithm."),
	}
	fieldHooks["IPsecPhase2Encryption"] = map[string]fieldHook{
		"keylen": keylenCheck("validate_keylen", "name",
			"IPSEC_PHASE_2_ENCRYPTION_ALGORITHM_KEYLEN_INVALID_CHOICE", "Field `keylen` value `%d` is not valid for the `%s` algorithm."),
	}
	for name, fn := range map[string]func(vc *vctx, p *catalog.Prop) []any{
		"get_digest_alg_choices": func(*vctx, *catalog.Prop) []any { return rules.StaticChoices("get_digest_alg_choices") },
		"get_dh_length_choices":  func(*vctx, *catalog.Prop) []any { return rules.StaticChoices("get_dh_length_choices") },
		"get_country_choices":    func(*vctx, *catalog.Prop) []any { return rules.StaticChoices("get_country_choices") },
		"get_timezone_choices":   func(*vctx, *catalog.Prop) []any { return rules.StaticChoices("get_timezone_choices") },
		"get_ecname_choices":     func(*vctx, *catalog.Prop) []any { return rules.StaticChoices("get_ecname_choices") },
		"get_ecdh_curve_choices": func(*vctx, *catalog.Prop) []any { return rules.StaticChoices("get_ecdh_curve_choices") },
		"get_acmeserver_choices": func(*vctx, *catalog.Prop) []any { return rules.StaticChoices("get_acmeserver_choices") },
		"get_available_cipher_choices": func(*vctx, *catalog.Prop) []any {
			return rules.StaticChoices("get_available_cipher_choices")
		},
		// Models/RESTAPIAccessListEntry.inc get_user_choices: the names of the users.
		"get_user_choices": func(vc *vctx, _ *catalog.Prop) []any {
			var out []any
			for _, u := range vc.sim.st.Lists["User"] {
				out = append(out, u["name"])
			}
			return out
		},
		// v2.10.0 Models/IPsecPhase2Encryption.inc get_supported_keylens: the lengths of the
		// object's algorithm, then 0, the KeyLenField's word for auto.
		"get_supported_keylens": func(vc *vctx, _ *catalog.Prop) []any {
			lens, _ := rules.IPsecKeylens(strval(vc.obj["name"]))
			return append(append([]any(nil), lens...), int64(0))
		},
	} {
		if choiceCallables[name] != nil {
			panic(fmt.Sprintf("choices callable %s defined twice", name))
		}
		choiceCallables[name] = fn
	}
}
