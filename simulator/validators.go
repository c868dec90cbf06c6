package simulator

import (
	"errors"
	"net/mail"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/pfutil"
)

// The package's 13 validator classes (Validators/*.inc) and the extra checks of its field
// classes (Fields/*.inc validate_extra), with their response ids and messages as the source
// writes them (quotes in messages become backticks in the answer).

// runValidator runs one validator object on a value.
func (vc *vctx) runValidator(vd catalog.Validator, name string, v any) *apiError {
	a := vd.Args
	str := strval(v)
	switch vd.Class {
	case "LengthValidator":
		min, max := toInt(a["minimum"]), toInt(a["maximum"])
		switch x := v.(type) {
		case string:
			// The minimum message prints the maximum: Validators/LengthValidator.inc as written.
			if int64(len(x)) < min {
				return errf(400, "LENGTH_VALIDATOR_MINIMUM_CONSTRAINT", "Field '%s' must contain a minimum of %d characters.", name, max)
			}
			if max > 0 && int64(len(x)) > max {
				return errf(400, "LENGTH_VALIDATOR_MAXIMUM_CONSTRAINT", "Field '%s' exceeds the maximum character length of %d.", name, max)
			}
		case []any:
			return lengthCheck(name, x, min, max)
		default:
			return errf(500, "LENGTH_VALIDATOR_UNSUPPORTED_TYPE", "Field '%s' requested max length validation but is not a string or an array.", name)
		}
	case "NumericRangeValidator":
		switch v.(type) {
		case int64, float64:
		default:
			return errf(500, "NUMERIC_RANGE_VALIDATOR_UNSUPPORTED_TYPE", "NumericRangeValidator can only be used on integer or float values.")
		}
		f := toFloat(v)
		if f < toFloat(a["minimum"]) {
			return errf(400, "NUMERIC_RANGE_VALIDATOR_MINIMUM_CONSTRAINT", "Field '%s' must be greater than or equal to '%s'. Received '%s'", name, strval(a["minimum"]), str)
		}
		if f > toFloat(a["maximum"]) {
			return errf(400, "NUMERIC_RANGE_VALIDATOR_MAXIMUM_CONSTRAINT", "Field '%s' must be less than or equal to '%s'. Received '%s'", name, strval(a["maximum"]), str)
		}
	case "IPAddressValidator":
		return vc.ipAddressValidator(a, name, str)
	case "SubnetValidator":
		if toBool(a["allow_alias"]) && vc.sim.aliasExists(str, false) {
			return nil
		}
		if toBool(a["allow_ipv4"]) && pfutil.IsSubnet(str) == 4 {
			return nil
		}
		if toBool(a["allow_ipv6"]) && pfutil.IsSubnet(str) == 6 {
			return nil
		}
		if inArray(v, listOf(a["allow_keywords"])) {
			return nil
		}
		return errf(400, "SUBNET_VALIDATOR_FAILED", "Field `%s` must be a valid subnet CIDR, received `%s`.", name, str)
	case "HostnameValidator":
		if inArray(v, listOf(a["allow_keywords"])) {
			return nil
		}
		if toBool(a["allow_hostname"]) && pfutil.IsHostname(str) || toBool(a["allow_domain"]) && pfutil.IsDomain(str) || toBool(a["allow_fqdn"]) && pfutil.IsFQDN(str) {
			return nil
		}
		return errf(400, "HOSTNAME_VALIDATOR_FAILED", "Field `%s` must be a valid hostname, received `%s`.", name, str)
	case "MACAddressValidator":
		if !pfutil.IsMAC(str) && !inArray(v, listOf(a["allow_keywords"])) {
			return errf(400, "MAC_ADDRESS_VALIDATOR_FAILED", "Field `%s` must be a valid MAC address, received `%s`.", name, str)
		}
	case "RegexValidator":
		if inArray(v, listOf(a["allowed_keywords"])) {
			return nil
		}
		re := compilePCRE(strval(a["pattern"]))
		if re == nil {
			return nil // preg_match on a bad pattern warns and returns false
		}
		matched := re.MatchString(str)
		msg := strval(a["error_msg"])
		if msg == "" {
			ctx := "match"
			if toBool(a["invert"]) {
				ctx = "not match"
			}
			msg = "Value must " + ctx + " pattern: `" + strval(a["pattern"]) + "`."
		}
		if matched == toBool(a["invert"]) {
			return errf(400, "REGEX_VALIDATOR_FAILED", "Field `%s` failed regex validation. %s", name, msg)
		}
	case "EmailAddressValidator":
		if !isEmail(str) {
			return errf(400, "EMAIL_ADDRESS_VALIDATOR_FAILED", "Field `%s` must be a valid email address.", name)
		}
	case "URLValidator":
		if inArray(v, listOf(a["allow_keywords"])) || isURL(str) {
			return nil
		}
		return errf(400, "URL_VALIDATOR_FAILED", "Field `%s` must be a valid URL, received `%s`.", name, str)
	case "FilterNameValidator":
		return vc.filterNameValidator(name, v)
	case "X509Validator":
		return x509Validator(a, name, str)
	case "HexValidator":
		s := str
		if toBool(a["allow_hex_prefix"]) && strings.HasPrefix(s, "0x") {
			s = strings.ReplaceAll(s, "0x", "")
		}
		if !ctypeXdigit(s) {
			return errf(400, "HEX_VALIDATOR_VALUE_CONTAINS_NOT_HEX_CHARS", "Field `%s` must only contain hex characters.", name)
		}
		if n := toInt(a["bytes"]); n > 0 && int64(len(s)) != 2*n {
			return errf(400, "HEX_VALIDATOR_VALUE_IS_NOT_EXPECTED_LENGTH", "Field `%s` must contain a hex value of %d characters exactly.", name, 2*n)
		}
	case "UniqueFromForeignModelValidator":
		fm, ff := strval(a["foreign_model_name"]), strval(a["foreign_model_field_name"])
		other := vc.sim.models[fm]
		if other == nil {
			return nil
		}
		if !other.many {
			if single := vc.sim.st.Singles[fm]; single != nil && strictEquals(single[ff], v) {
				return errf(400, "UNIQUE_FROM_FOREIGN_NON_MANY_MODEL_VALIDATOR_FAILED",
					"Field '%s' cannot be set to '%s' because the value is already in use by field '%s' on '%s'.", name, str, ff, fm)
			}
			return nil
		}
		for _, rw := range vc.sim.rows(other) {
			if looseEqualsFilter(rw.obj[ff], v) {
				return errf(400, "UNIQUE_FROM_FOREIGN_MANY_MODEL_VALIDATOR_FAILED",
					"Field '%s' cannot be set to '%s' because the value is already in use by field '%s' on '%s' object with ID '%s'",
					name, str, ff, fm, strval(rw.id))
			}
		}
	}
	return nil
}

// ipAddressValidator is Validators/IPAddressValidator.inc.
func (vc *vctx) ipAddressValidator(a map[string]any, name, s string) *apiError {
	if toBool(a["allow_port"]) && strings.Contains(s, ":") {
		parts := strings.Split(s, ":")
		if !pfutil.IsPort(parts[1]) {
			return errf(400, "IP_ADDRESS_VALIDATOR_INVALID_PORT_SUFFIX", "Field `%s` contains an invalid port suffix `%s`.", name, parts[1])
		}
		s = parts[0]
	}
	v4, v6 := toBool(a["allow_ipv4"]), toBool(a["allow_ipv6"])
	alias, fqdn := toBool(a["allow_alias"]), toBool(a["allow_fqdn"])
	if alias && vc.sim.aliasExists(s, false) {
		return nil
	}
	if v4 && pfutil.IsIPv4(s) {
		return nil
	}
	if v6 && !toBool(a["allow_ipv6_link_local"]) && pfutil.IsLinkLocalV6(s) {
		return errf(400, "IP_ADDRESS_VALIDATOR_IPV6_LINK_LOCAL_NOT_ALLOWED", "Field `%s` cannot be an IPv6 link-local address, received `%s`.", name, s)
	}
	if v6 && pfutil.IsIPv6(s) {
		return nil
	}
	if fqdn && pfutil.IsFQDN(s) {
		return nil
	}
	if inArray(s, listOf(a["allow_keywords"])) {
		return nil
	}
	// The message lists the allowed kinds with PHP's array union (+), which keeps only the
	// first one: "a valid IPv4 address" even when IPv6 is allowed too.
	opt := ""
	switch {
	case v4:
		opt = "IPv4 address"
	case v6:
		opt = "IPv6 address"
	case alias:
		opt = "alias"
	case fqdn:
		opt = "FQDN"
	}
	return errf(400, "IP_ADDRESS_VALIDATOR_FAILED", "Field `%s` must be a valid %s, received `%s`.", name, opt, s)
}

// filterNameValidator is Validators/FilterNameValidator.inc.
func (vc *vctx) filterNameValidator(name string, v any) *apiError {
	s := strval(v)
	if vc.sim.core.filterNameChars && !filterNameChars.MatchString(s) {
		return errf(400, "FILTER_NAME_VALIDATOR_INVALID_CHARACTERS",
			"Field '%s' cannot be '%s' because it contains invalid characters. Only A-Z, a-z, 0-9, and _ are allowed.", name, s)
	}
	var reserved []any
	for _, r := range pfutil.Reserved(vc.sim.interfaceNames(true)) {
		reserved = append(reserved, r)
	}
	if inArray(v, reserved) {
		return errf(400, "FILTER_NAME_VALIDATOR_RESERVED_NAME_USED", "Field '%s' cannot be '%s' because it is a name reserved by the system.", name, s)
	}
	if strings.HasPrefix(s, "pkg_") {
		return errf(400, "FILTER_NAME_VALIDATOR_CANNOT_START_WITH_PKG", "Field '%s' cannot be '%s' because it starts with 'pkg_'.", name, s)
	}
	if isNumeric(v) {
		return errf(400, "FILTER_NAME_VALIDATOR_CANNOT_BE_NUMERICAL", "Field '%s' cannot be '%s' because it is entirely numerical.", name, s)
	}
	// The interface and alias checks compare the value with object *ids* (id__except the
	// model's own id), so a non-numeric name never matches an alias (ids are integers); an
	// interface id (wan, lan, opt1) does.
	for _, rw := range vc.sim.rows(vc.sim.models["NetworkInterface"]) {
		if looseEqualsFilter(rw.id, v) && !(vc.id != nil && looseEqualsFilter(rw.id, vc.id)) {
			return errf(400, "FILTER_NAME_VALIDATOR_NAME_IN_USE_BY_INTERFACE", "Field '%s' cannot be '%s' because it is in use by an existing interface.", name, s)
		}
	}
	for i, g := range vc.sim.st.Lists["InterfaceGroup"] {
		if g["ifname"] == s && !(vc.m.name == "InterfaceGroup" && idKeyEqual(int64(i), vc.id)) {
			return errf(400, "FILTER_NAME_VALIDATOR_NAME_IN_USE_BY_INTERFACE", "Field '%s' cannot be '%s' because it is in use by an existing interface.", name, s)
		}
	}
	return nil
}

var filterNameChars = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// x509Validator is Validators/X509Validator.inc (its CRT_END constant is "BEGIN CERTIFICATE").
func x509Validator(a map[string]any, name, s string) *apiError {
	has := func(x string) bool { return strings.Contains(s, x) }
	switch {
	case toBool(a["allow_crt"]) && has("BEGIN CERTIFICATE"):
	case toBool(a["allow_csr"]) && (has("BEGIN CERTIFICATE REQUEST") && has("END CERTIFICATE REQUEST") || has("BEGIN NEW CERTIFICATE REQUEST") && has("END NEW CERTIFICATE REQUEST")):
	case toBool(a["allow_prv"]) && has("BEGIN PRIVATE KEY") && has("END PRIVATE KEY"):
	case toBool(a["allow_rsa"]) && has("BEGIN RSA PRIVATE KEY") && has("END RSA PRIVATE KEY"):
	case toBool(a["allow_ecprv"]) && has("BEGIN EC PRIVATE KEY") && has("END EC PRIVATE KEY"):
	default:
		var opts []string
		for _, o := range []struct{ key, label string }{{"allow_crt", "certificate"}, {"allow_csr", "certificate signing request"},
			{"allow_prv", "private key"}, {"allow_rsa", "RSA private key"}, {"allow_ecprv", "EC private key"}} {
			if toBool(a[o.key]) {
				opts = append(opts, o.label)
			}
		}
		return errf(400, "X509_VALIDATOR_INVALID_VALUE", "Field `%s` is not a valid X509 string. Valid X509 types are: [%s]", name, strings.Join(opts, ", "))
	}
	return nil
}

// isEmail approximates filter_var(FILTER_VALIDATE_EMAIL): a bare local@domain address with
// a dotted domain.
func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && pfutil.IsDomain(domain)
}

// isURL approximates filter_var(FILTER_VALIDATE_URL): a scheme and a host.
func isURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Scheme == "mailto" || u.Scheme == "file")
}

var pcreCache sync.Map

// compilePCRE turns a PCRE pattern with delimiters (/^bt_/i) into a Go regexp; nil when it
// is not valid (PHP's preg_match then fails).
func compilePCRE(p string) *regexp.Regexp {
	if re, ok := pcreCache.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	re, err := phpRegex(p)
	if err != nil {
		return nil
	}
	pcreCache.Store(p, re)
	return re
}

// validateExtra is the field class's validate_extra (Fields/*.inc). For nested objects it
// returns the validated nested object.
func (vc *vctx) validateExtra(p *catalog.Prop, v any, index int) (any, *apiError) {
	f, name := p.F, p.Name
	s, _ := v.(string)
	switch f.Class {
	case "PortField":
		// Fields/PortField.inc validate_extra: a port alias, a range, or a port.
		if f.Opt("allow_alias") && vc.sim.aliasExists(s, true) || f.Opt("allow_range") && pfutil.IsPortRange(s) || pfutil.IsPort(s) {
			return v, nil
		}
		opts := "Valid options are: a TCP/UDP port number, "
		if f.Opt("allow_range") {
			opts += "a TCP/UDP port range separated by `:`, "
		}
		if f.Opt("allow_alias") {
			opts += "an existing port type firewall alias, "
		}
		return nil, errf(400, "PORT_FIELD_INVALID", "Field `%s` contains invalid port value `%s`. %s", name, s, strings.TrimSuffix(opts, ", "))
	case "FilterAddressField":
		return v, vc.filterAddress(f, name, s)
	case "SpecialNetworkField":
		return v, vc.specialNetwork(f, name, s)
	case "ForeignModelField":
		if inArray(v, f.OptList("allowed_keywords")) {
			return v, nil
		}
		if _, ok := vc.sim.foreignMatch(f, v); !ok {
			var names []string
			for _, fm := range f.Foreign {
				names = append(names, vc.sim.verboseName(fm))
			}
			return nil, errf(404, "FOREIGN_MODEL_FIELD_VALUE_NOT_FOUND", "Field `%s` could not locate `%s` object with `%s` set to `%s`",
				name, strings.Join(names, " or "), f.ForeignField, strval(v))
		}
	case "ObjectField":
		if _, isList := v.([]any); isList {
			return nil, errf(400, "OBJECT_FIELD_INVALID_VALUE", "Field `%s` value must be an associative array of key-value pairs.", name)
		}
	case "DateTimeField":
		format := strval(f.Options["datetime_format"])
		if !validDateTime(s, format) {
			return nil, errf(400, "DATETIME_FIELD_MUST_MATCH_FORMAT", "Field `%s` must be a DateTime in format `%s`. Received `%s`", name, format, s)
		}
	}
	if f.Nested != "" {
		return vc.validateNested(p, v, index)
	}
	return v, nil
}

func asMap(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

// validateNested is NestedModelField::validate_extra: the value becomes an object of the
// nested model (its id and parent_id dropped), validated with the objects before it; its
// error comes back as "Field `x` encountered a nested validation error: ...".
func (vc *vctx) validateNested(p *catalog.Prop, v any, index int) (any, *apiError) {
	child := vc.sim.models[p.F.Nested]
	if child == nil {
		return v, nil
	}
	// A new object of the nested model (fields with auto_add_now set to now), then the
	// item's values of its own fields (Core/Model.inc from_representation skips other keys).
	obj := vc.sim.freshObject(child)
	for k := range obj {
		if obj[k] == nil {
			delete(obj, k)
		}
	}
	vc.sim.fromRepresentation(child, obj, asMap(v))
	delete(obj, "id")
	delete(obj, "parent_id")
	nvc := &vctx{sim: vc.sim, m: child, s: child.schema, obj: obj, id: int64(index), parentID: vc.id,
		parent: vc.obj, parentM: vc.m, siblings: vc.nestedSiblings(p, index), req: vc.req, nestedIn: p.Name}
	if e := nvc.validateModel(); e != nil {
		return nil, &apiError{code: 400, id: e.id, msg: "Field `" + p.Name + "` encountered a nested validation error: " + e.msg}
	}
	out := make(map[string]any, len(obj)+2)
	for k, x := range obj {
		out[k] = x
	}
	// The nested object's representation carries its parent's id and its own index.
	if vc.id != nil {
		out["parent_id"] = vc.id
	}
	out["id"] = int64(index)
	return out, nil
}

// nestedSiblings are the nested objects validated before this one (NestedModelField's ModelSet).
func (vc *vctx) nestedSiblings(p *catalog.Prop, index int) []row {
	items, _ := vc.obj[p.Name].([]any)
	var out []row
	for i := 0; i < index && i < len(items); i++ {
		if m := asMap(items[i]); m != nil {
			out = append(out, row{id: int64(i), obj: m})
		}
	}
	return out
}

// filterAddress is Fields/FilterAddressField.inc validate_extra.
func (vc *vctx) filterAddress(f *catalog.FieldInfo, name, s string) *apiError {
	v := s
	if f.Opt("allow_invert") && strings.HasPrefix(v, "!") {
		v = v[1:]
		if v == "any" {
			return errf(400, "FILTER_RULE_ADDRESS_FIELD_WITH_INVERT_ANY", "Field `%s` cannot use invert prefix (!) with value `any`.", name)
		}
	}
	switch {
	case f.Opt("allow_ipaddr") && pfutil.IsIP(v) != 0,
		f.Opt("allow_subnet") && pfutil.IsSubnet(v) != 0,
		f.Opt("allow_alias") && vc.sim.aliasExists(v, false),
		f.Opt("allow_any") && v == "any",
		f.Opt("allow_self") && v == "(self)",
		f.Opt("allow_l2tp") && v == "l2tp",
		f.Opt("allow_pppoe") && v == "pppoe":
		return nil
	}
	if f.Opt("allow_interface_ip") {
		v = strings.TrimSuffix(v, ":ip")
	}
	if f.Opt("allow_interface") && vc.sim.interfaceChoice(f, v) {
		return nil
	}
	opts := ""
	for _, o := range []struct{ key, text string }{{"allow_interface", "an existing interface"}, {"allow_ipaddr", "an IP address"},
		{"allow_subnet", "a subnet CIDR"}, {"allow_alias", "an existing alias"}, {"allow_any", "`any`"}, {"allow_self", "`(self)`"},
		{"allow_l2tp", "`l2tp`"}, {"allow_pppoe", "`pppoe`"}} {
		if f.Opt(o.key) {
			opts += o.text + ", "
		}
	}
	return errf(400, "FILTER_ADDRESS_FIELD_INVALID", "Field `%s` value `%s` is invalid. Valid options are: %s", name, v, strings.TrimSuffix(opts, ", "))
}

// specialNetwork is Fields/SpecialNetworkField.inc validate_extra.
func (vc *vctx) specialNetwork(f *catalog.FieldInfo, name, s string) *apiError {
	v := s
	switch {
	case f.Opt("allow_ipaddr") && pfutil.IsIP(v) != 0,
		f.Opt("allow_subnet") && pfutil.IsSubnet(v) != 0,
		f.Opt("allow_alias") && vc.sim.aliasExists(v, false),
		f.Opt("allow_self") && v == "(self)",
		f.Opt("allow_l2tp") && v == "l2tp",
		f.Opt("allow_pppoe") && v == "pppoe",
		len(f.OptList("allowed_keywords")) > 0 && inArray(v, f.OptList("allowed_keywords")):
		return nil
	}
	if f.Opt("allow_interface_ip") && strings.HasSuffix(v, ":ip") {
		v = strings.TrimSuffix(v, ":ip")
		if vc.sim.interfaceChoice(f, v) {
			return nil
		}
	}
	if f.Opt("allow_interface") && vc.sim.interfaceChoice(f, v) {
		return nil
	}
	opts := ""
	for _, o := range []struct{ key, text string }{{"allow_interface", "an existing interface"}, {"allow_ipaddr", "an IP address"},
		{"allow_subnet", "a subnet CIDR"}, {"allow_alias", "an existing alias"}, {"allow_self", "`(self)`"},
		{"allow_l2tp", "`l2tp`"}, {"allow_pppoe", "`pppoe`"}} {
		if f.Opt(o.key) {
			opts += o.text + ", "
		}
	}
	for _, k := range f.OptList("allowed_keywords") {
		opts += "`" + strval(k) + "`, "
	}
	return errf(400, "SPECIAL_NETWORK_FIELD_INVALID", "Field `%s` value `%s` is invalid. Valid options are: %s", name, v, strings.TrimSuffix(opts, ", "))
}

// aliasExists: a firewall alias of that name exists; of type port when port is set, of any
// other type otherwise (the validators' FirewallAlias::query(name, type__except: port)).
func (sim *Simulator) aliasExists(name string, port bool) bool {
	for _, a := range sim.st.Lists["FirewallAlias"] {
		if a["name"] == name && (a["type"] == "port") == port {
			return true
		}
	}
	return false
}

// interfaceNames lists the interface ids (and, with groups, interface group names).
func (sim *Simulator) interfaceNames(groups bool) []string {
	var out []string
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		out = append(out, strval(rw.id))
	}
	if groups {
		for _, g := range sim.st.Lists["InterfaceGroup"] {
			out = append(out, strval(g["ifname"]))
		}
	}
	return out
}

// interfaceChoices is Fields/InterfaceField.inc get_interface_choices with the field's
// options (interfaces are represented by their id, the package's installed default).
func (sim *Simulator) interfaceChoices(f *catalog.FieldInfo) []any {
	var out []any
	q := f.OptMap("interface_query")
	for _, rw := range sim.rows(sim.models["NetworkInterface"]) {
		if len(q) > 0 && !matchesQuery(rw, q) {
			continue
		}
		out = append(out, strval(rw.id))
	}
	if f.Opt("allow_interface_groups") {
		for _, g := range sim.st.Lists["InterfaceGroup"] {
			out = append(out, strval(g["ifname"]))
		}
	}
	if f.Opt("allow_carp_interface") {
		for _, v := range sim.st.Lists["VirtualIP"] {
			if v["mode"] == "carp" && strval(v["uniqid"]) != "" {
				out = append(out, "_vip"+strval(v["uniqid"]))
			}
		}
	}
	if f.Opt("allow_ipsec_interface") {
		out = append(out, "enc0")
	}
	if f.Opt("allow_openvpn_interface") {
		out = append(out, "openvpn")
	}
	if f.Opt("allow_localhost_interface") {
		out = append(out, "lo0")
	}
	out = append(out, f.OptList("allow_custom")...)
	return out
}

func (sim *Simulator) interfaceChoice(f *catalog.FieldInfo, v string) bool {
	for _, c := range sim.interfaceChoices(f) {
		if c == v {
			return true
		}
	}
	return false
}

// matchesQuery applies a model query (field => value, with __filters) to a row.
func matchesQuery(rw row, q map[string]any) bool {
	for k, want := range q {
		fl, err := newFilter(k, want)
		if err != nil {
			return false
		}
		if !fl.match(rw) {
			return false
		}
	}
	return true
}

// choiceCallables are the choices callables the simulator reproduces (others accept any value).
var choiceCallables = map[string]func(vc *vctx, p *catalog.Prop) []any{
	"get_interface_choices": func(vc *vctx, p *catalog.Prop) []any { return vc.sim.interfaceChoices(p.F) },
	// Models/RESTAPISettings.inc get_auth_methods_choices: the Auth classes.
	"get_auth_methods_choices": func(vc *vctx, p *catalog.Prop) []any { return []any{"BasicAuth", "JWTAuth", "KeyAuth"} },
	// Models/RESTAPIAccessListEntry.inc get_schedule_choices: '' (None), then the firewall
	// schedules' names.
	"get_schedule_choices": func(vc *vctx, p *catalog.Prop) []any {
		out := []any{""}
		for _, s := range vc.sim.st.Lists["FirewallSchedule"] {
			out = append(out, s["name"])
		}
		return out
	},
	// Models/RESTAPISettings.inc get_override_sensitive_fields_choices: Model:field of every
	// sensitive field.
	"get_override_sensitive_fields_choices": func(vc *vctx, p *catalog.Prop) []any {
		var out []any
		for _, name := range sortedModelNames(vc.sim.models) {
			for _, pp := range vc.sim.models[name].schema.Props {
				if pp.F != nil && pp.F.Sensitive {
					out = append(out, name+":"+pp.Name)
				}
			}
		}
		return out
	},
}

// foreignMatch is ForeignModelField::__get_matches: the first in-scope object of the foreign
// models (their model_query applied; for child models, children of parents matching
// parent_model_query) whose model_field has the value (compared as PHP array keys).
func (sim *Simulator) foreignMatch(f *catalog.FieldInfo, v any) (row, bool) {
	for _, fm := range f.Foreign {
		m := sim.models[fm]
		if m == nil {
			continue
		}
		q := f.OptMap("model_query")
		pq := f.OptMap("parent_model_query")
		for _, rw := range sim.rows(m) {
			if len(pq) > 0 && rw.parent != nil && !matchesQuery(row{obj: rw.parent, id: rw.parentID}, pq) {
				continue
			}
			if len(q) > 0 {
				// The query runs on the representation (Model::query reads every object through
				// from_internal), so a computed field such as a gateway group's ipprotocol counts.
				qr := rw
				if c := computedFields[fm]; c != nil {
					qr.obj = c(sim, rw.obj)
				}
				if !matchesQuery(qr, q) {
					continue
				}
			}
			fv := rw.obj[f.ForeignField]
			if f.ForeignField == "id" {
				fv = rw.id
			}
			if fv != nil && phpKey(fv) == phpKey(v) {
				return rw, true
			}
		}
	}
	return row{}, false
}

func (sim *Simulator) verboseName(model string) string {
	if m := sim.models[model]; m != nil && m.info != nil && m.info.VerboseName != "" {
		return m.info.VerboseName
	}
	return model
}

// validDateTime checks a value against a PHP date() format (DateTimeField::is_valid_datetime,
// DateTime::createFromFormat: d, j, m and n take one or two digits, as Go's 2 and 1 do).
func validDateTime(s, format string) bool {
	r := strings.NewReplacer("d", "2", "m", "1", "Y", "2006", "y", "06", "H", "15", "i", "04", "s", "05", "j", "2", "n", "1", "D", "Mon", "M", "Jan")
	_, err := time.Parse(r.Replace(format), s)
	return err == nil
}

// phpRegex turns a PCRE pattern with delimiters (/^bt_/i) into a Go regexp. PHP warns and
// fails on a pattern without delimiters or with an unknown modifier.
func phpRegex(p string) (*regexp.Regexp, error) {
	if len(p) < 2 {
		return nil, errNoDelimiter
	}
	d := p[0]
	if d == '\\' || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || (d >= '0' && d <= '9') || d == ' ' {
		return nil, errNoDelimiter
	}
	closing := d
	switch d {
	case '(':
		closing = ')'
	case '{':
		closing = '}'
	case '[':
		closing = ']'
	case '<':
		closing = '>'
	}
	end := strings.LastIndexByte(p, closing)
	if end <= 0 {
		return nil, errNoDelimiter
	}
	body, flags := p[1:end], p[end+1:]
	prefix := ""
	for _, f := range flags {
		switch f {
		case 'i', 'm', 's':
			prefix += string(f)
		case 'u', 'D', 'x', 'U', 'A':
		default:
			return nil, errNoDelimiter
		}
	}
	if prefix != "" {
		body = "(?" + prefix + ")" + body
	}
	return regexp.Compile(body)
}

var errNoDelimiter = errors.New("no valid delimiters")

func sortedModelNames(models map[string]*model) []string {
	out := make([]string, 0, len(models))
	for n := range models {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
