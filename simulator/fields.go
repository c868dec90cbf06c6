package simulator

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"maps"
	mrand "math/rand/v2"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
)

// This file is the package's validation of one object, rule for rule: Core/Model.inc
// validate() runs Core/Field.inc validate() on every field in model order, then the model's
// own validate_<field> methods, unique_together_fields and validate_extra. The first failure
// is the answer. Objects are held in their representation (what the API returns), as maps.

// vctx is one model object being validated.
type vctx struct {
	sim *Simulator
	m   *model
	s   *catalog.Schema
	obj map[string]any
	// initial is the stored object an update started from (nil for creates): non-editable
	// fields must keep its values (Field::is_value_editable).
	initial map[string]any
	// id is the object's id during validation (a create's is the next free one); parentID
	// and parent its parent's, for child models (and nested objects).
	id       any
	parentID any
	parent   map[string]any
	parentM  *model
	// siblings are the other objects of the model (under the same parent): the ModelSet
	// uniqueness is checked against.
	siblings []row
	req      *request
	// nestedIn names the parent field when this is a nested object (NestedModelField).
	nestedIn string
	// withClient: the object is made by the package's own code with the authenticated
	// client (new Model(..., client: $this->client)), so "{user}@{ip} (API)" defaults know it.
	withClient bool
	// labels are what the validators found each field's value to be (Field::$labels).
	labels map[string]map[string]bool
	// deferred is an error of a side effect that runs after the object was written
	// (pre_apply_create): the answer is the error, the write stays.
	deferred *apiError
}

// validateModel is Core/Model.inc validate() from the field loop on (the caller has checked
// the id, the parent and the packages).
func (vc *vctx) validateModel() *apiError {
	for _, p := range vc.s.Props {
		if p.F == nil {
			continue
		}
		if e := vc.validateField(p); e != nil {
			return e
		}
	}
	// The model's own validate_<field> methods run after every field, for non-null values, in
	// field order; each value of a many field on its own (Model::validate).
	hooks := fieldHooks[vc.m.name]
	for _, p := range vc.s.Props {
		h := hooks[p.Name]
		if h == nil || vc.obj[p.Name] == nil {
			continue
		}
		if p.F != nil && p.F.Many {
			items, _ := vc.obj[p.Name].([]any)
			out := make([]any, 0, len(items))
			for _, it := range items {
				v, e := h(vc, it)
				if e != nil {
					return e
				}
				out = append(out, v)
			}
			vc.obj[p.Name] = out
			continue
		}
		v, e := h(vc, vc.obj[p.Name])
		if e != nil {
			return e
		}
		vc.obj[p.Name] = v
	}
	if e := vc.checkUniqueTogether(); e != nil {
		return e
	}
	if h := extraHooks[vc.m.name]; h != nil {
		return h(vc)
	}
	return nil
}

// checkUniqueTogether is Model::check_unique_together.
func (vc *vctx) checkUniqueTogether() *apiError {
	fields := vc.m.info.UniqueTogether
	if !vc.m.many || len(fields) == 0 {
		return nil
	}
	for _, o := range vc.siblings {
		if vc.id != nil && idKeyEqual(o.id, vc.id) {
			continue
		}
		same := true
		for _, f := range fields {
			if !looseEqualsFilter(o.obj[f], vc.obj[f]) {
				same = false
				break
			}
		}
		if same {
			return errf(400, "MODEL_FIELDS_NOT_UNIQUE_TOGETHER",
				"Fields [%s] together must be unique from all other objects of its kind. Values in use by object with ID `%s`.",
				strings.Join(fields, ", "), strval(o.id))
		}
	}
	return nil
}

// looseEqualsFilter is ExactQueryFilter::evaluate: null compares strictly, anything else with ==.
func looseEqualsFilter(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return looseEquals(a, b)
}

// conditionsMet is Field::are_conditions_met.
func (vc *vctx) conditionsMet(f *catalog.FieldInfo) bool {
	for _, c := range f.Conditions {
		var v any
		if c.Parent {
			if vc.parent == nil {
				return false
			}
			v = vc.parent[c.Field]
		} else {
			v = vc.obj[c.Field]
		}
		var met bool
		if c.List {
			met = inArray(v, c.Values)
		} else {
			met = len(c.Values) == 1 && strictEquals(v, c.Values[0])
		}
		if met == c.Negate {
			return false
		}
	}
	return true
}

// conditionFieldsExist is the safety check of Field::are_conditions_met: walking the
// conditions in order until one fails, a condition on a field the model does not have is a
// ServerError (a queue's ecn names the limiter's `sched` once its `aqm` condition holds:
// Models/TrafficShaperLimiterQueue.inc, a bug of the package through v2.10.0).
func (vc *vctx) conditionFieldsExist(name string, f *catalog.FieldInfo) *apiError {
	if vc.s == nil {
		return nil
	}
	for _, c := range f.Conditions {
		if c.Parent {
			return nil
		}
		if vc.s.Prop(c.Field) == nil {
			class := `RESTAPI\Models\` + vc.s.Name
			return errf(500, "FIELD_CONDITIONS_REQUIRE_NON_EXISTENT_MODEL_FIELD",
				"Field `%s` contains a condition for field `%s` from \n                        its assigned Model `%s`, but `%s` has no such field. ",
				name, c.Field, class, class)
		}
		one := *f
		one.Conditions = []catalog.Condition{c}
		if !vc.conditionsMet(&one) {
			return nil
		}
	}
	return nil
}

// validateField is Core/Field.inc validate() for one field of the object.
func (vc *vctx) validateField(p *catalog.Prop) *apiError {
	f, name := p.F, p.Name
	v := vc.obj[name]
	if f.Nested != "" && vc.initial != nil && strictEquals(v, vc.initial[name]) {
		// NestedModelField::validate: an unchanged nested value is not validated again.
		return nil
	}
	if e := vc.conditionFieldsExist(name, f); e != nil {
		return e
	}
	if !vc.conditionsMet(f) {
		vc.obj[name] = nil
		return nil
	}
	if f.Required && v == nil {
		return errf(400, "FIELD_IS_REQUIRED", "Field `%s` is required.", name)
	}
	if vc.initial != nil && f.NotEditable {
		if cur := vc.initial[name]; !strictEquals(v, cur) {
			return errf(400, "FIELD_VALUE_CHANGED_WHEN_NOT_EDITABLE",
				"Field `%s` is not editable but the requested value `%s` differs from its current value `%s`.", name, strval(v), strval(cur))
		}
	}
	if items, isList := v.([]any); f.Many && isList {
		if e := lengthCheck(name, items, int64(f.ManyMinimum), int64(f.ManyMaximum)); e != nil {
			return e
		}
	}
	if v == nil {
		if dv, ok := vc.defaultOf(p); ok {
			v = dv
		}
	}
	values := []any{v}
	if f.Many {
		switch x := v.(type) {
		case nil:
			values = nil
		case []any:
			values = x
		case map[string]any:
			values = mapValues(x)
		default:
			return errf(400, "FIELD_INVALID_MANY_VALUE", "Field `%s` must be of type `array`.", name)
		}
	}
	vc.obj[name] = v
	if !f.ReadOnly && !f.AllowEmpty && isEmptyValue(v) {
		return errf(400, "FIELD_EMPTY_NOT_ALLOWED", "Field `%s` cannot be empty.", name)
	}
	if f.AllowNull && v == nil {
		return nil
	}
	var nested []any
	for _, val := range values {
		if !f.ReadOnly && !(f.AllowNull && val == nil) && gettype(val) != f.Type {
			return errf(400, "FIELD_INVALID_TYPE", "Field `%s` must be of type `%s`", name, f.Type)
		}
		if e := vc.checkChoice(p, val); e != nil {
			return e
		}
		if e := vc.checkUnique(p, val); e != nil {
			return e
		}
		// Field::check_value_empty: read-only fields, and allowed empty values, end validation.
		if f.ReadOnly {
			return nil
		}
		if isEmptyValue(val) {
			if f.AllowEmpty {
				return nil
			}
			return errf(400, "FIELD_EMPTY_NOT_ALLOWED", "Field `%s` cannot be empty.", name)
		}
		for _, vd := range f.Validators {
			if e := vc.runValidator(vd, name, val); e != nil {
				return e
			}
		}
		out, e := vc.validateExtra(p, val, len(nested))
		if e != nil {
			return e
		}
		if f.Nested != "" {
			nested = append(nested, out)
		}
	}
	if f.Nested != "" {
		vc.setNested(p, nested)
	}
	return nil
}

// setNested stores a NestedModelField's validated objects: a list for many models, the one
// object otherwise, sorted as the nested model sorts (NestedModelField::validate and sort).
func (vc *vctx) setNested(p *catalog.Prop, objs []any) {
	child := vc.sim.models[p.F.Nested]
	if child != nil && child.info != nil && len(child.info.SortBy) > 0 && len(objs) > 0 {
		rows := make([]map[string]any, len(objs))
		for i, o := range objs {
			rows[i], _ = o.(map[string]any)
		}
		stableSortBy(rows, func(o map[string]any, f string) any { return o[f] }, child.info.SortBy,
			child.info.SortOrder == "SORT_DESC", child.info.SortFlags)
		for i, o := range rows {
			o["id"] = int64(i)
			objs[i] = o
		}
	}
	if p.F.Many {
		if objs == nil {
			objs = []any{}
		}
		vc.obj[p.Name] = objs
		return
	}
	if len(objs) == 1 {
		vc.obj[p.Name] = objs[0]
	}
}

func mapValues(m map[string]any) []any {
	out := make([]any, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

// isEmptyValue is what Field::check_value_empty calls empty: "" and [] (not 0, false, null).
func isEmptyValue(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// defaultOf is Field::get_default: the default, or what its default callable computes.
func (vc *vctx) defaultOf(p *catalog.Prop) (any, bool) {
	f := p.F
	if fn := liveDefaults[vc.m.name+"."+p.Name]; fn != nil {
		return fn(vc), true
	}
	// Read-only unique numbers (ikeid, reqid, limiter numbers) are computed from the
	// configuration when the model is built (ipsec_ikeid_next(), ipsec_new_reqid(),
	// get_next_number()): the next one free, the native default on an empty config.
	if f.ReadOnly && f.Unique && f.Type == "integer" && f.HasDefault {
		next := toInt(f.Default)
		for _, rw := range vc.sim.rows(vc.m) {
			if n := toInt(rw.obj[p.Name]); n >= next {
				next = n + 1
			}
		}
		return next, true
	}
	if f.DefaultCallable != "" {
		if fn := defaultCallables[f.DefaultCallable]; fn != nil {
			return fn(vc, p), true
		}
	}
	if !f.HasDefault {
		return nil, false
	}
	if s, ok := f.Default.(string); ok {
		switch {
		case s == "<runtime-generated>":
			return vc.sim.runtimeDefault(vc.m, p), true
		case strings.HasSuffix(s, " (API)") && strings.HasPrefix(s, "@"):
			// "{username}@{ip} (API)" computed when the model is constructed, before the
			// endpoint gives it the authenticated client: the username is empty
			// (Models/FirewallRule.inc __construct, Core/Endpoint.inc process_request).
			if vc.withClient {
				return vc.clientName(), true
			}
			return "@" + vc.clientIP() + " (API)", true
		}
	}
	return cloneValue(f.Default), true
}

func (vc *vctx) clientIP() string {
	if vc.req == nil {
		return "127.0.0.1"
	}
	return clientIP(vc.req.r)
}

// clientName is "{username}@{ip} (API)" with the authenticated client (validate_updated_by).
func (vc *vctx) clientName() string {
	if vc.req == nil {
		return "(system)@127.0.0.1 (API)"
	}
	return vc.req.user + "@" + clientIP(vc.req.r) + " (API)"
}

// runtimeDefault generates the defaults the native schema leaves as "<runtime-generated>":
// uniqid() for UID fields (Fields/UIDField.inc) and the few random strings models compute.
func (sim *Simulator) runtimeDefault(m *model, p *catalog.Prop) any {
	if m.name == "HAProxyBackendServer" && p.Name == "serverid" {
		return sim.haproxyServerID()
	}
	if p.F.Type == "integer" {
		return sim.nextNumber(m, p.Name)
	}
	prefix := ""
	if p.F.Options != nil {
		prefix, _ = p.F.Options["prefix"].(string)
	}
	if p.Name == "source_hash_key" {
		b := make([]byte, 16)
		rand.Read(b)
		return "0x" + hex.EncodeToString(b)
	}
	return prefix + sim.uniqid()
}

// haproxyServerID is a backend server's serverid default: rand(100, 1000) (Models/
// HAProxyBackendServer.inc: the constructor's default in v2.7.1, get_serverid_default in
// v2.10.0). The package does not keep it unique (its TODO); the simulator draws a number no
// server has, so two servers of one backend never share one.
func (sim *Simulator) haproxyServerID() int64 {
	if sim.serverIDs == nil {
		sim.serverIDs = map[int64]bool{}
	}
	used := maps.Clone(sim.serverIDs)
	for _, b := range sim.st.Lists["HAProxyBackend"] {
		for _, srv := range listOf(b["servers"]) {
			used[toInt(asMap(srv)["serverid"])] = true
		}
	}
	var free []int64
	for n := int64(100); n <= 1000; n++ {
		if !used[n] {
			free = append(free, n)
		}
	}
	n := int64(1000)
	if len(free) > 0 {
		n = free[mrand.IntN(len(free))]
	}
	sim.serverIDs[n] = true
	return n
}

// uniqid is PHP's uniqid(): 8 hex digits of seconds and 5 of microseconds; successive
// calls never repeat.
func (sim *Simulator) uniqid() string {
	now := sim.opts.Now()
	us := now.UnixMicro()
	if us <= sim.lastUniqid {
		us = sim.lastUniqid + 1
	}
	sim.lastUniqid = us
	return fmt.Sprintf("%08x%05x", us/1e6, us%1e6)
}

// lengthCheck is Validators/LengthValidator.inc on an array.
func lengthCheck(name string, items []any, min, max int64) *apiError {
	n := int64(len(items))
	if n < min {
		return errf(400, "LENGTH_VALIDATOR_MINIMUM_CONSTRAINT", "Field '%s' must contain a minimum of %d entries.", name, min)
	}
	if max > 0 && n > max {
		return errf(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field '%s' exceeds the maximum array length of %d.", name, max)
	}
	return nil
}

// checkChoice is Field::check_value_choice: static choices, or a choices callable's.
func (vc *vctx) checkChoice(p *catalog.Prop, v any) *apiError {
	f := p.F
	choices := f.Choices
	if f.ChoicesCallable != "" {
		fn := choiceCallables[f.ChoicesCallable]
		if fn == nil {
			return nil // a callable the simulator does not reproduce: any value is a choice
		}
		choices = fn(vc, p)
		if len(choices) == 0 {
			return nil
		}
	}
	if len(choices) == 0 || inArray(v, choices) {
		return nil
	}
	parts := make([]string, len(choices))
	for i, c := range choices {
		parts[i] = strval(c)
	}
	return errf(400, "FIELD_INVALID_CHOICE", "Field `%s` must be one of [%s]", p.Name, strings.Join(parts, ", "))
}

// checkUnique is Field::check_field_unique: no other object (under the same parent) has the
// value (for many fields: has it in its list).
func (vc *vctx) checkUnique(p *catalog.Prop, v any) *apiError {
	if !p.F.Unique || !vc.m.many {
		return nil
	}
	for _, o := range vc.siblings {
		if vc.id != nil && idKeyEqual(o.id, vc.id) {
			continue
		}
		ov := o.obj[p.Name]
		match := false
		if p.F.Many {
			if l, ok := ov.([]any); ok {
				match = inArray(v, l)
			} else {
				match = strings.Contains(strval(ov), strval(v))
			}
		} else {
			match = looseEqualsFilter(ov, v)
		}
		if match {
			return errf(400, "FIELD_MUST_BE_UNIQUE", "Field '%s' must be unique. Value is in use by object with ID '%s'.", p.Name, strval(o.id))
		}
	}
	return nil
}

// idKeyEqual compares ids as PHP array keys ("1" and 1 are the same key).
func idKeyEqual(a, b any) bool { return phpKey(a) == phpKey(b) }

// phpKey is the array key PHP makes of a value.
func phpKey(v any) string {
	switch x := v.(type) {
	case string:
		if ctypeDigit(x) && (x == "0" || x[0] != '0') {
			return x
		}
		if strings.HasPrefix(x, "-") && ctypeDigit(x[1:]) && x[1] != '0' {
			return x
		}
		return "s:" + x
	case bool:
		if x {
			return "1"
		}
		return "0"
	case nil:
		return "s:"
	case float64:
		return strval(int64(x))
	}
	return strval(v)
}

// liveDefaults are defaults a firewall computes from its configuration, which the native
// schema (made without one) shows as constants: the next uid and gid (system/nextuid and
// system/nextgid, 2000 on a new firewall: Models/User.inc, Models/UserGroup.inc).
var liveDefaults = map[string]func(vc *vctx) any{
	"User.uid":      func(vc *vctx) any { return vc.sim.nextNumber(vc.m, "uid") },
	"UserGroup.gid": func(vc *vctx) any { return vc.sim.nextNumber(vc.m, "gid") },
}

// defaultCallables are the models' default callables the simulator reproduces.
var defaultCallables = map[string]func(vc *vctx, p *catalog.Prop) any{
	// Models/WireGuardTunnel.inc get_next_tunnel_name: tun_wg0, tun_wg1, ... the first free.
	"get_next_tunnel_name": func(vc *vctx, p *catalog.Prop) any {
		used := map[string]bool{}
		for _, o := range vc.sim.st.Lists["WireGuardTunnel"] {
			used[strval(o["name"])] = true
		}
		for i := 0; ; i++ {
			if n := fmt.Sprintf("tun_wg%d", i); !used[n] {
				return n
			}
		}
	},
	// Models/OpenVPNServer.inc get_next_vpn_id: pfSense's openvpn_vpnid_next(), the lowest id
	// above 0 that no server or client uses.
	"get_next_vpn_id": func(vc *vctx, p *catalog.Prop) any {
		used := map[int64]bool{}
		for _, mn := range []string{"OpenVPNServer", "OpenVPNClient"} {
			for _, o := range vc.sim.st.Lists[mn] {
				used[toInt(o["vpnid"])] = true
			}
		}
		for i := int64(1); ; i++ {
			if !used[i] {
				return i
			}
		}
	},
	// Models/OpenVPNServer.inc generate_tls_key: a new OpenVPN static key.
	// Fields/UIDField.inc generate_uid (v2.10.0): uniqid() with the field's prefix, what
	// v2.7.1's schema states as the "<runtime-generated>" default.
	"generate_uid": func(vc *vctx, p *catalog.Prop) any { return vc.sim.runtimeDefault(vc.m, p) },
	// Models/HAProxyBackendServer.inc get_serverid_default (v2.10.0): rand(100, 1000).
	"get_serverid_default": func(vc *vctx, p *catalog.Prop) any { return vc.sim.haproxyServerID() },
	"generate_tls_key":     func(vc *vctx, p *catalog.Prop) any { return openVPNStaticKey() },
	// Models/ACMEAccountKey.inc generate_rsa_key: a new RSA private key of RSA_KEY_BITS
	// (2048) bits, as openssl_pkey_export writes it (PKCS#8 PEM).
	"generate_rsa_key": func(vc *vctx, p *catalog.Prop) any { return rsaPrivateKeyPEM(2048) },
}

func rsaPrivateKeyPEM(bits int) string {
	key, err := rsa.GenerateKey(rand.Reader, bits)
	if err != nil {
		return ""
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

func openVPNStaticKey() string {
	var b strings.Builder
	b.WriteString("#\n# 2048 bit OpenVPN static key\n#\n-----BEGIN OpenVPN Static key V1-----\n")
	for i := 0; i < 16; i++ {
		b.WriteString(randomHex(16) + "\n")
	}
	b.WriteString("-----END OpenVPN Static key V1-----\n")
	return b.String()
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// nowUnix is time() of the simulated clock.
func (sim *Simulator) nowUnix() int64 { return sim.opts.Now().Unix() }
