package simulator

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// The REST API is PHP: its checks use gettype(), == and in_array() with PHP 8's loose
// comparison, strval(), is_numeric() and ctype_digit(). These helpers reproduce them for the
// values the simulator handles: nil, bool, int64, float64, string, []any and map[string]any
// (PHP's associative arrays). Request values are decoded the way PHP's json_decode and
// parse_str do (see reqdata.go), so a check written against PHP semantics here means the same.

// gettype returns PHP's gettype() name of v.
func gettype(v any) string {
	switch v.(type) {
	case nil:
		return "NULL"
	case bool:
		return "boolean"
	case int64, int:
		return "integer"
	case float64:
		return "double"
	case string:
		return "string"
	case []any, map[string]any:
		return "array"
	}
	return "unknown type"
}

// phpNumericString reports whether s is a PHP numeric string (leading whitespace allowed,
// trailing whitespace allowed since PHP 8) and returns its value.
func phpNumericString(s string) (float64, bool) {
	t := strings.TrimLeft(s, " \t\n\r\v\f")
	t = strings.TrimRight(t, " \t\n\r\v\f")
	if t == "" {
		return 0, false
	}
	// PHP accepts decimal integers and floats with an optional exponent; no hex, no inf/nan.
	for i, c := range t {
		switch {
		case c >= '0' && c <= '9', c == '.', c == 'e', c == 'E':
		case (c == '+' || c == '-') && (i == 0 || t[i-1] == 'e' || t[i-1] == 'E'):
		default:
			return 0, false
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !strings.Contains(err.Error(), "range") {
		return 0, false
	}
	return f, true
}

// isNumeric is PHP's is_numeric().
func isNumeric(v any) bool {
	switch x := v.(type) {
	case int64, int, float64:
		return true
	case string:
		_, ok := phpNumericString(x)
		return ok
	}
	return false
}

// ctypeDigit is PHP's ctype_digit() on a string: non-empty and only 0-9.
func ctypeDigit(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ctypeXdigit is PHP's ctype_xdigit().
func ctypeXdigit(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !unicode.Is(unicode.ASCII_Hex_Digit, c) {
			return false
		}
	}
	return true
}

// strval is PHP's strval() (and string interpolation) for scalars; arrays become "Array".
func strval(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case bool:
		if x {
			return "1"
		}
		return ""
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case float64:
		return phpFloat(x)
	case string:
		return x
	case []any, map[string]any:
		return "Array"
	case json.Number:
		return x.String()
	}
	return ""
}

// phpFloat prints a float as PHP 8 does (precision 14 for strval / interpolation).
func phpFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "INF"
	}
	if math.IsInf(f, -1) {
		return "-INF"
	}
	if math.IsNaN(f) {
		return "NAN"
	}
	s := strconv.FormatFloat(f, 'G', 14, 64)
	if strings.ContainsAny(s, "E") {
		mant, exp, _ := strings.Cut(s, "E")
		if strings.Contains(mant, ".") {
			mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
		}
		e, _ := strconv.Atoi(exp)
		sign := "+"
		if e < 0 {
			sign, e = "-", -e
		}
		return mant + "E" + sign + strconv.Itoa(e)
	}
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

// toBool is PHP's (bool) cast.
func toBool(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case int64:
		return x != 0
	case int:
		return x != 0
	case float64:
		return x != 0
	case string:
		return x != "" && x != "0"
	case []any:
		return len(x) > 0
	case map[string]any:
		return len(x) > 0
	}
	return true
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
		return 0
	case string:
		f, _ := phpNumericString(x)
		return f
	}
	return 0
}

// looseEquals is PHP 8's == for the value types the simulator handles.
func looseEquals(a, b any) bool {
	if a == nil && b == nil {
		return true
	}
	switch x := a.(type) {
	case bool:
		return x == toBool(b)
	case nil:
		switch y := b.(type) {
		case bool:
			return !y
		case string:
			return y == ""
		case []any:
			return len(y) == 0
		case map[string]any:
			return len(y) == 0
		}
		return !toBool(b)
	}
	switch y := b.(type) {
	case bool, nil:
		return looseEquals(b, a)
	case []any, map[string]any:
		return arraysLooseEqual(a, y)
	case string:
		switch x := a.(type) {
		case string:
			fa, oka := phpNumericString(x)
			fb, okb := phpNumericString(y)
			if oka && okb {
				return fa == fb
			}
			return x == y
		case int64, int, float64:
			if f, ok := phpNumericString(y); ok {
				return toFloat(x) == f
			}
			return strval(x) == y
		}
		return false
	case int64, int, float64:
		switch x := a.(type) {
		case string:
			return looseEquals(y, x)
		case int64, int, float64:
			return toFloat(x) == toFloat(y)
		}
	}
	return false
}

func arraysLooseEqual(a, b any) bool {
	la, lb := phpArrayEntries(a), phpArrayEntries(b)
	if la == nil || lb == nil || len(la) != len(lb) {
		return false
	}
	for k, v := range la {
		w, ok := lb[k]
		if !ok || !looseEquals(v, w) {
			return false
		}
	}
	return true
}

func phpArrayEntries(v any) map[string]any {
	switch x := v.(type) {
	case []any:
		m := make(map[string]any, len(x))
		for i, e := range x {
			m[strconv.Itoa(i)] = e
		}
		return m
	case map[string]any:
		return x
	}
	return nil
}

// strictEquals is PHP's ===.
func strictEquals(a, b any) bool {
	if gettype(a) != gettype(b) {
		return false
	}
	switch x := a.(type) {
	case []any:
		y := b.([]any)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if !strictEquals(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y := b.(map[string]any)
		if len(x) != len(y) {
			return false
		}
		for k, v := range x {
			if w, ok := y[k]; !ok || !strictEquals(v, w) {
				return false
			}
		}
		return true
	case int:
		return int64(x) == toInt(b)
	}
	return a == b
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case float64:
		return int64(x)
	case bool:
		if x {
			return 1
		}
	case string:
		f, _ := phpNumericString(x)
		return int64(f)
	}
	return 0
}

// inArray is PHP's in_array() (loose).
func inArray(needle any, haystack []any) bool {
	for _, h := range haystack {
		if looseEquals(needle, h) {
			return true
		}
	}
	return false
}

// phpCompare is PHP 8's <=> for scalars (used by sorting with SORT_REGULAR).
func phpCompare(a, b any) int {
	an, bn := isNumeric(a), isNumeric(b)
	_, as := a.(string)
	_, bs := b.(string)
	switch {
	case an && bn:
		fa, fb := toFloat(a), toFloat(b)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	case as && bs:
		return strings.Compare(a.(string), b.(string))
	case a == nil || b == nil:
		ab, bb := toBool(a), toBool(b)
		switch {
		case ab == bb:
			if as || bs {
				return strings.Compare(strval(a), strval(b))
			}
			return 0
		case ab:
			return 1
		}
		return -1
	}
	if _, ok := a.(bool); ok {
		return boolCompare(toBool(a), toBool(b))
	}
	if _, ok := b.(bool); ok {
		return boolCompare(toBool(a), toBool(b))
	}
	return strings.Compare(strval(a), strval(b))
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// strnatcmp is PHP's natural-order string comparison (SORT_NATURAL).
func strnatcmp(a, b string, fold bool) int {
	if fold {
		a, b = strings.ToLower(a), strings.ToLower(b)
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if isDigit(ca) && isDigit(cb) {
			si := i
			for i < len(a) && isDigit(a[i]) {
				i++
			}
			sj := j
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			na := strings.TrimLeft(a[si:i], "0")
			nb := strings.TrimLeft(b[sj:j], "0")
			if len(na) != len(nb) {
				if len(na) < len(nb) {
					return -1
				}
				return 1
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			continue
		}
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
		i++
		j++
	}
	switch {
	case len(a)-i < len(b)-j:
		return -1
	case len(a)-i > len(b)-j:
		return 1
	}
	return 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// sortCompare compares two values as PHP's sort functions do with the given flags.
func sortCompare(a, b any, flags string) int {
	switch flags {
	case "SORT_NATURAL":
		return strnatcmp(strval(a), strval(b), false)
	case "SORT_STRING":
		return strings.Compare(strval(a), strval(b))
	case "SORT_NUMERIC":
		fa, fb := toFloat(a), toFloat(b)
		switch {
		case fa < fb:
			return -1
		case fa > fb:
			return 1
		}
		return 0
	case "SORT_FLAG_CASE":
		return strings.Compare(strings.ToLower(strval(a)), strings.ToLower(strval(b)))
	}
	return phpCompare(a, b)
}

// arraySlice is PHP's array_slice() on a list (negative offset counts from the end, negative
// length stops that many from the end).
func arraySlice[T any](list []T, offset, length int64, hasLength bool) []T {
	n := int64(len(list))
	if offset < 0 {
		offset += n
		if offset < 0 {
			offset = 0
		}
	}
	if offset > n {
		return []T{}
	}
	end := n
	if hasLength {
		if length < 0 {
			end = n + length
		} else if offset+length < n {
			end = offset + length
		}
	}
	if end <= offset {
		return []T{}
	}
	return append([]T(nil), list[offset:end]...)
}

// paginate is Core/Model.inc paginate(): no limit and no offset is everything, an offset
// past the end is nothing, otherwise array_slice.
func paginate[T any](list []T, limit, offset int64) []T {
	if limit == 0 && offset == 0 {
		return list
	}
	if offset >= int64(len(list)) {
		return []T{}
	}
	if limit == 0 {
		return arraySlice(list, offset, 0, false)
	}
	return arraySlice(list, offset, limit, true)
}

// stableSortBy sorts rows by several keys with PHP's array_multisort semantics (stable).
func stableSortBy[T any](rows []T, key func(T, string) any, fields []string, desc bool, flags string) {
	sort.SliceStable(rows, func(i, j int) bool {
		for _, f := range fields {
			c := sortCompare(key(rows[i], f), key(rows[j], f), flags)
			if c != 0 {
				if desc {
					return c > 0
				}
				return c < 0
			}
		}
		return false
	})
}
