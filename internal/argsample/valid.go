package argsample

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/rules"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
)

// Field is what makes a value valid for one field of the REST API: the package's field class,
// its validators and class options (from the native schema and the simulator's rules table).
// With it, a sample passes the real API's checks, not only the tool's JSON Schema.
type Field struct {
	Class      string
	Type       string // string, integer, double, boolean, array
	Choices    []any
	Validators []rules.Validator
	Options    map[string]any
	Minimum    *float64
	Maximum    *float64
	MaxLength  int
	// Keywords are values a ForeignModelField takes without a foreign object (`unassigned`).
	Keywords []any
	Foreign  []string // the models a ForeignModelField refers to
	// ForeignField is the field of the foreign model the value names (name, refid).
	ForeignField string
	// Unique: no two objects of the model may have the same value (Core/Model.inc
	// validate_unique). UniqueTogether is the field's position (from 1) in the model's
	// unique_together_fields, whose values no two objects may share all at once; 0 if none.
	Unique         bool
	UniqueTogether int
	// NonEmpty: a list the package refuses empty (allow_empty false) although it is neither
	// required nor conditional, with at least MinItems entries (FIELD_EMPTY_NOT_ALLOWED).
	NonEmpty bool
	MinItems int
	// Conditional fields exist only when other fields have some values.
	Conditional bool
	// Editable is false for fields set only at creation; ReadOnly for fields never set.
	Editable, ReadOnly bool
	// Required with Conditions: the field must be given when its conditions hold
	// (Core/Field.inc are_conditions_met); Default is what it has when not given.
	Required   bool
	Default    any
	Conditions []native.Condition
	// Nested are the field facts of a NestedModelField's model (its items' fields).
	Nested map[string]Field
}

// FreeText says whether any short text is a valid value: a plain string field (the
// package's StringField) without choices, validators other than lengths, or conditions, that
// an update may set. Fields such as addresses, names the package checks, references and
// files are not (Fields/StringField.inc and the validators in Validators/).
func (f Field) FreeText() bool {
	if f.Type != "string" || f.Class != "StringField" || len(f.Choices) > 0 || f.Conditional || !f.Editable || f.ReadOnly {
		return false
	}
	for _, v := range f.Validators {
		if v.Class != "LengthValidator" {
			return false
		}
	}
	return true
}

// Fields are the field facts of one REST API version, by model and field name.
type Fields struct {
	nat *native.Schema
	tab *rules.Table
}

// NewFields reads the field facts from a native schema (`{}` gives none) and the committed
// rules table of its version.
func NewFields(nativeJSON []byte) (*Fields, error) {
	nat, err := native.Parse(nativeJSON)
	if err != nil {
		return nil, err
	}
	if nat.Empty() {
		return &Fields{}, nil
	}
	tab, err := rules.For(nat.Version)
	if err != nil {
		return nil, err
	}
	return &Fields{nat: nat, tab: tab}, nil
}

// Model returns the facts of a model's fields (nil when the schema does not know it).
func (fs *Fields) Model(model string) map[string]Field {
	if fs == nil || fs.nat == nil {
		return nil
	}
	return fs.model(model, 0)
}

func (fs *Fields) model(model string, depth int) map[string]Field {
	m := fs.nat.Model(model)
	if m == nil {
		return nil
	}
	out := map[string]Field{}
	for _, f := range m.Fields {
		fd := Field{Class: f.Class, Type: f.Type, Choices: f.Choices, Minimum: f.Minimum, Maximum: f.Maximum,
			MaxLength: f.MaximumLength, Foreign: f.ForeignModels, ForeignField: f.ForeignField,
			Unique: f.Unique, UniqueTogether: slices.Index(m.UniqueTogether, f.Name) + 1, Conditional: f.Conditional(),
			Editable: f.Editable, ReadOnly: f.ReadOnly, Required: f.Required, Default: f.Default,
			Conditions: f.ParsedConditions(),
			NonEmpty:   f.Many && !f.AllowEmpty && !f.Required && !f.ReadOnly && !f.Conditional() && isEmptyList(f.Default),
			MinItems:   f.ManyMinimum}
		if f.NestedModel != "" && depth < 3 {
			fd.Nested = fs.model(f.NestedModel, depth+1)
		}
		if r := fs.tab.Field(model, f.Name); r != nil {
			fd.Validators, fd.Options = r.Validators, r.Options
			if kw, ok := r.Options["allowed_keywords"].([]any); ok {
				fd.Keywords = kw
			}
			if len(fd.Choices) == 0 && r.ChoicesCallable != "" {
				// What the callable returns on pfSense, where that is fixed (digests, DH
				// lengths, country codes): a value the firewall accepts.
				fd.Choices = rules.StaticChoices(r.ChoicesCallable)
			}
		}
		if len(fd.Choices) == 0 {
			fd.Choices = rules.TableChoices(model, f.Name) // pfSense's IPsec tables, empty in the dump
		}
		if algo, ok := rules.IPsecKeylenField(model, f.Name); ok {
			// Checked against the algorithm's lengths (validate_keylen): one every algorithm
			// with a key length offers. It exists (and is required) for those algorithms.
			if len(fd.Choices) == 0 {
				fd.Choices = rules.SharedIPsecKeylens()
			}
			for i, c := range fd.Conditions {
				if c.Field == algo && len(c.Values) == 0 {
					fd.Conditions[i].Values = rules.IPsecKeylenAlgorithms()
				}
			}
		}
		out[f.Name] = fd
	}
	return out
}

// ValidValue returns a value the real API accepts for the field (one item for a many
// field), or false when the sampler cannot make one (an X509 certificate, a reference to an
// object that must exist first). name is the field name, used for readable strings.
func ValidValue(f Field, name, prefix string) (any, bool) {
	for _, c := range f.Choices {
		if s, ok := c.(string); !ok || s != "" {
			return c, true
		}
	}
	opt := func(k string) bool { b, _ := f.Options[k].(bool); return b }
	switch f.Class {
	case "BooleanField":
		return false, true
	case "IntegerField", "UnixTimeField":
		return number(f, guessInt(name)), true
	case "FloatField":
		return float64(number(f, 1)) + 0.5, true
	case "PortField":
		return "443", true
	case "FilterAddressField":
		if opt("allow_any") {
			return "any", true
		}
		return "192.0.2.10", true
	case "SpecialNetworkField":
		switch {
		case opt("allow_ipaddr"):
			return "192.0.2.10", true
		case opt("allow_subnet"):
			return "192.0.2.0/24", true
		case len(anyList(f.Options["allowed_keywords"])) > 0:
			return anyList(f.Options["allowed_keywords"])[0], true
		}
		return "lan", true
	case "InterfaceField":
		return "lan", true
	case "ForeignModelField":
		for _, k := range f.Keywords {
			if s, ok := k.(string); ok && s != "" {
				return s, true
			}
		}
		return nil, false
	case "Base64Field":
		for _, v := range f.Validators {
			if v.Class == "X509Validator" {
				return nil, false // a certificate or key the sampler cannot make
			}
		}
		return base64.StdEncoding.EncodeToString([]byte(prefix + name)), true
	case "DateTimeField":
		return "12/31/2030", true
	case "NestedModelField", "ObjectField":
		return nil, false
	}
	switch f.Type {
	case "integer":
		return number(f, guessInt(name)), true
	case "double":
		return float64(number(f, 1)) + 0.5, true
	case "boolean":
		return false, true
	}
	s, ok := validString(f, name, prefix)
	if !ok {
		return nil, false
	}
	if f.MaxLength > 0 && len(s) > f.MaxLength {
		s = s[:f.MaxLength]
	}
	return s, true
}

// guessInt is a plausible number for a field by its name (a prefix length for masks).
func guessInt(name string) int64 {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "mask") || strings.Contains(n, "bits") || strings.Contains(n, "subnet"):
		return 32
	case strings.Contains(n, "port"):
		return 8080
	case strings.Contains(n, "mtu"):
		return 1500
	}
	return 1
}

func number(f Field, v int64) int64 {
	for _, vd := range f.Validators {
		if vd.Class == "NumericRangeValidator" {
			if min, ok := toF(vd.Args["minimum"]); ok && float64(v) < min {
				v = int64(min)
			}
			if max, ok := toF(vd.Args["maximum"]); ok && float64(v) > max {
				v = int64(max)
			}
		}
	}
	if f.Minimum != nil && float64(v) < *f.Minimum {
		v = int64(*f.Minimum)
	}
	if f.Maximum != nil && float64(v) > *f.Maximum {
		v = int64(*f.Maximum)
	}
	return v
}

func toF(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case interface{ Float64() (float64, error) }:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

func anyList(v any) []any {
	l, _ := v.([]any)
	return l
}

// validString picks a string that passes the field's validators.
func validString(f Field, name, prefix string) (string, bool) {
	base := prefix + strings.Trim(name, "_")
	candidate := base
	var minLen int64
	for _, vd := range f.Validators {
		a := vd.Args
		b := func(k string) bool { x, _ := a[k].(bool); return x }
		switch vd.Class {
		case "IPAddressValidator":
			switch {
			case b("allow_ipv4"):
				candidate = "192.0.2.10"
			case b("allow_ipv6"):
				candidate = "2001:db8::10"
			case b("allow_fqdn"):
				candidate = "bt.example.com"
			default:
				if kw := anyList(a["allow_keywords"]); len(kw) > 0 {
					candidate, _ = kw[0].(string)
				}
			}
		case "SubnetValidator":
			if b("allow_ipv4") {
				candidate = "192.0.2.0/24"
			} else {
				candidate = "2001:db8::/64"
			}
		case "HostnameValidator":
			switch {
			case b("allow_hostname"):
				candidate = strings.ReplaceAll(strings.ToLower(base), "_", "-")
			case b("allow_fqdn"):
				candidate = "bt.example.com"
			default:
				candidate = "example.com"
			}
		case "MACAddressValidator":
			candidate = "00:0c:29:4f:8e:35"
		case "EmailAddressValidator":
			candidate = "bt@example.com"
		case "URLValidator":
			candidate = "https://example.com/bt"
		case "FilterNameValidator":
			candidate = strings.ReplaceAll(base, "-", "_")
		case "HexValidator":
			n, _ := toF(a["bytes"])
			if n <= 0 {
				n = 4
			}
			candidate = strings.Repeat("ab", int(n))
		case "X509Validator":
			return "", false
		case "LengthValidator":
			if min, ok := toF(a["minimum"]); ok {
				minLen = int64(min)
			}
		}
	}
	for _, vd := range f.Validators {
		if vd.Class != "RegexValidator" {
			continue
		}
		if re := pcre(strings.TrimSpace(asString(vd.Args["pattern"]))); re != nil {
			invert, _ := vd.Args["invert"].(bool)
			ok := func(s string) bool { return re.MatchString(s) != invert }
			if !ok(candidate) {
				found := false
				for _, c := range []string{"*", strings.ReplaceAll(base, "_", ""), "bt-value", "bt.value", "1", "btvalue"} {
					if ok(c) {
						candidate, found = c, true
						break
					}
				}
				if !found {
					return "", false
				}
			}
		}
	}
	for int64(len(candidate)) < minLen {
		candidate += "x"
	}
	return candidate, true
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

// pcre turns a PHP pattern with delimiters (/x/i) into a Go regexp.
func pcre(p string) *regexp.Regexp {
	if len(p) < 2 {
		return nil
	}
	end := strings.LastIndexByte(p, p[0])
	if end <= 0 {
		return nil
	}
	body, flags := p[1:end], p[end+1:]
	if strings.Contains(flags, "i") {
		body = "(?i)" + body
	}
	re, err := regexp.Compile(body)
	if err != nil {
		return nil
	}
	return re
}

var (
	builtinOnce   sync.Once
	builtinFields *Fields
)

// ModelFields returns the field facts of a model from the native schema the build embeds in
// the simulator (nil when the build has none): Sample's Options.Fields for a tool's model.
func ModelFields(model string) map[string]Field {
	builtinOnce.Do(func() {
		builtinFields, _ = NewFields(simulator.NativeSchema())
	})
	return builtinFields.Model(model)
}

// Vary returns a value of the field other than v, for the k-th of several objects that must
// not share it (a unique field, or one of unique-together fields), still valid for the
// field's checks: the next address, subnet, port or number, another interface or choice, a
// WireGuard-style key with another byte, a name with a number appended. It returns false for
// values it cannot vary (a reference to an object that must exist, a boolean).
func Vary(f Field, v any, k int) (any, bool) {
	if k == 0 {
		return v, true
	}
	if f.Class == "ForeignModelField" || f.Class == "BooleanField" {
		return nil, false
	}
	if s, ok := v.(string); ok && len(f.Choices) == 0 {
		if f.Class == "InterfaceField" {
			ifs := []string{"lan", "opt1", "wan"}
			for i, x := range ifs {
				if x == s {
					return ifs[(i+k)%len(ifs)], true
				}
			}
			return nil, false
		}
		return varyString(s, k)
	}
	if len(f.Choices) > 1 {
		var choices []any
		for _, c := range f.Choices {
			if s, ok := c.(string); !ok || s != "" {
				choices = append(choices, c)
			}
		}
		for i, c := range choices {
			if sameValue(c, v) && len(choices) > 1 {
				return choices[(i+k)%len(choices)], true
			}
		}
		return nil, false
	}
	switch x := v.(type) {
	case float64:
		return varyNumber(f, x, k), true
	case int64:
		return int64(varyNumber(f, float64(x), k)), true
	}
	return nil, false
}

// varyNumber counts down where the field's minimum (or 1) allows, else up: the models' own
// checks often cap a number below the field's declared maximum (an IPv4 prefix of 32 bits
// where the field takes 128), and a smaller one is rarely refused.
func varyNumber(f Field, x float64, k int) float64 {
	floor := 1.0
	if f.Minimum != nil {
		floor = *f.Minimum
	}
	if n := x - float64(k); n >= floor {
		return n
	}
	n := x + float64(k)
	if f.Maximum != nil && n > *f.Maximum {
		n = x - float64(k)
	}
	return n
}

// varyString changes an address, subnet, port, key or name for the k-th object.
func varyString(s string, k int) (any, bool) {
	if ip := net.ParseIP(s); ip != nil {
		return bumpIP(ip, k, 128).String(), true
	}
	if ip, n, err := net.ParseCIDR(s); err == nil {
		ones, _ := n.Mask.Size()
		if ip.Equal(n.IP) {
			return fmt.Sprintf("%s/%d", bumpIP(n.IP, k, ones).String(), ones), true
		}
		return fmt.Sprintf("%s/%d", bumpIP(ip, k, 128).String(), ones), true
	}
	if mac, err := net.ParseMAC(s); err == nil && len(mac) == 6 && strings.Count(s, ":") == 5 {
		mac[5] += byte(k)
		return mac.String(), true
	}
	if p, err := strconv.Atoi(s); err == nil && p >= 0 {
		if p+k > 65535 {
			return strconv.Itoa(p - k), true
		}
		return strconv.Itoa(p + k), true
	}
	if b, err := base64.StdEncoding.DecodeString(s); err == nil && len(b) == 32 {
		b[1] += byte(k) // not the bits a Curve25519 key clamps (bytes 0 and 31)
		return base64.StdEncoding.EncodeToString(b), true
	}
	if s == "" {
		return nil, false
	}
	if i := strings.IndexByte(s, '.'); i > 0 {
		return s[:i] + strconv.Itoa(k+1) + s[i:], true // bt2.example.com: still a host name
	}
	return s + strconv.Itoa(k+1), true
}

// bumpIP adds k to the address at the given prefix length's granularity (the next /24 for
// a /24 subnet; the next address for a host, skipping .0 and .255 in IPv4).
func bumpIP(ip net.IP, k, ones int) net.IP {
	if v4 := ip.To4(); v4 != nil {
		if ones > 32 {
			ones = 32
		}
		x := binary.BigEndian.Uint32(v4)
		if ones == 32 {
			// The next host of the same /24 (1..254): it stays in the interface's subnet.
			// Downwards: test values sit high in their range, next to seeded hosts above.
			last := (x&0xff+254*uint32(k+1)-1-uint32(k))%254 + 1
			x = x&^0xff | last
		} else {
			x += uint32(k) << (32 - ones)
		}
		out := make(net.IP, 4)
		binary.BigEndian.PutUint32(out, x)
		return out
	}
	out := make(net.IP, 16)
	copy(out, ip.To16())
	if ones >= 128 || ones <= 0 {
		out[15] += byte(k)
		return out
	}
	byteIdx := (ones - 1) / 8
	out[byteIdx] += byte(k) << (7 - uint((ones-1)%8))
	return out
}

func isEmptyList(v any) bool {
	if v == nil {
		return true
	}
	l, ok := v.([]any)
	return ok && len(l) == 0
}

// Protected returns the query of a model's protected objects (Model::$protected_model_query:
// they cannot be deleted, and a PUT keeps them), from the rules table the build embeds in the
// simulator; nil when it has none.
func Protected(model string) map[string]any {
	ModelFields(model) // loads the table
	if builtinFields == nil || builtinFields.tab == nil {
		return nil
	}
	if m := builtinFields.tab.Models[model]; m != nil {
		return m.Protected
	}
	return nil
}
