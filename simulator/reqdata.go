package simulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// How the REST API turns a request into its request data (Core/ContentHandler.inc,
// ContentHandlers/*.inc): the Accept header picks the encoder, the Content-Type (or the
// method's default) the decoder; JSON is decoded as PHP's json_decode does, the query string
// and form bodies as parse_str does with every value's type inferred.

// mediaType lowercases a header value and drops its parameters, as get_encode_mime_type and
// get_decode_mime_type do.
func mediaType(h string) string {
	mt := strings.ToLower(h)
	if i := strings.IndexByte(mt, ';'); i >= 0 {
		mt = mt[:i]
	}
	return mt
}

const (
	mimeJSON   = "application/json"
	mimeForm   = "application/x-www-form-urlencoded"
	mimeBinary = "application/octet-stream"
)

// encodeHandler answers which content handler encodes the response (get_encode_handler):
// JSON, or Binary for application/octet-stream; anything else is a 406.
func encodeHandler(accept string) (string, *apiError) {
	mt := strings.ToLower(accept)
	if mt == "" || mt == "*/*" {
		return mimeJSON, nil
	}
	mt = mediaType(mt)
	switch mt {
	case mimeJSON, mimeBinary:
		return mt, nil
	case mimeForm:
		return "", errf(406, "CONTENT_HANDLER_CANNOT_ENCODE_CONTENT",
			"Content handler `%s` cannot format a response as it does not support content encoding. Change the value of your `Accept` header to a valid option and try again.", mt)
	}
	return "", errf(406, "CONTENT_HANDLER_ENCODE_NOT_FOUND",
		"No content handler exists for `%s`. Change the value of your `Accept` header to a valid option and try again.", mt)
}

// decodeHandler answers which content handler decodes the request (get_decode_handler):
// an empty Content-Type is form data for GET and DELETE and JSON otherwise.
func decodeHandler(method, ctype string) (string, *apiError) {
	mt := mediaType(ctype)
	if mt == "" {
		switch method {
		case http.MethodGet, http.MethodDelete:
			mt = mimeForm
		default:
			mt = mimeJSON
		}
	}
	switch mt {
	case mimeJSON, mimeForm:
		return mt, nil
	case mimeBinary:
		return "", errf(415, "CONTENT_HANDLER_CANNOT_DECODE_CONTENT",
			"Content handler `%s` does not support decoding content. Change the value of your `Content-Type` header to a valid option and try again.", mt)
	}
	return "", errf(415, "CONTENT_HANDLER_DECODE_NOT_FOUND",
		"No content handler exists for `%s`. Change the value of your `Content-Type` header to a valid option and try again.", mt)
}

// requestData is the decoded request: an object (with its keys in request order, which
// PHP keeps and the query filters follow) or a list (PUT).
type requestData struct {
	obj   map[string]any
	keys  []string
	list  []any
	isObj bool
}

// readBody reads at most 8 MB of the body.
func readBody(r *http.Request) []byte {
	if r.Body == nil {
		return nil
	}
	b, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
	return b
}

// decodeJSONRequest is JSONContentHandler::_decode: empty means [], invalid JSON is a 400,
// and a JSON scalar cannot become the request data (PHP's typed property throws: a 500).
func decodeJSONRequest(body []byte) (requestData, *apiError) {
	trimmed := bytes.TrimSpace(body)
	// PHP's empty(): "" and "0" are empty.
	if len(body) == 0 || string(body) == "0" {
		return requestData{obj: map[string]any{}, isObj: true}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil || dec.More() {
		return requestData{}, errf(400, "JSON_CONTENT_HANDLER_COULD_NOT_DECODE_JSON", "Request body could not be decoded as JSON.")
	}
	v = phpJSON(v)
	switch x := v.(type) {
	case map[string]any:
		return requestData{obj: x, keys: jsonKeyOrder(trimmed), isObj: true}, nil
	case []any:
		return requestData{list: x}, nil
	case nil:
		return requestData{obj: map[string]any{}, isObj: true}, nil
	}
	return requestData{}, errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR",
		"Cannot assign %s to property RESTAPI\\Core\\Endpoint::$request_data of type array", gettype(v))
}

// phpJSON turns json.Number into the type json_decode gives: an integer unless the number
// has a fraction or an exponent (or does not fit), else a float.
func phpJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		s := string(x)
		if !strings.ContainsAny(s, ".eE") {
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return i
			}
		}
		f, _ := strconv.ParseFloat(s, 64)
		return f
	case []any:
		for i := range x {
			x[i] = phpJSON(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = phpJSON(x[k])
		}
	}
	return v
}

// jsonKeyOrder returns the top-level keys of a JSON object in document order.
func jsonKeyOrder(b []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		if !seen[k] {
			keys = append(keys, k)
			seen[k] = true
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// decodeFormRequest is URLContentHandler: the query string, or the body when the query
// string is empty, parsed by parse_str with every value's type inferred.
func decodeFormRequest(r *http.Request) requestData {
	raw := r.URL.RawQuery
	if raw == "" {
		raw = string(readBody(r))
	}
	obj, keys := parseStr(raw)
	for k, v := range obj {
		obj[k] = inferType(v)
	}
	return requestData{obj: obj, keys: keys, isObj: true}
}

// inferType is URLContentHandler::infer_type: "true", "false" and "null" become those values,
// digits-only strings integers, numeric strings with a dot floats; everything else (negative
// numbers included) stays a string.
func inferType(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = inferType(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = inferType(x[k])
		}
		return x
	case string:
		switch {
		case x == "true":
			return true
		case x == "false":
			return false
		case x == "null":
			return nil
		case ctypeDigit(x):
			if i, err := strconv.ParseInt(x, 10, 64); err == nil {
				return i
			}
			f, _ := strconv.ParseFloat(x, 64)
			return f
		case strings.Contains(x, "."):
			if f, ok := phpNumericString(x); ok {
				return f
			}
		}
	}
	return v
}

// parseStr is PHP's parse_str(): `a=1&a=2` keeps the last, `a[]=1&a[]=2` is a list,
// `a[k]=1` a map; in the top-level name, `.` and ` ` become `_` and a name without a closing
// bracket keeps its `[` as `_`.
func parseStr(raw string) (map[string]any, []string) {
	out := map[string]any{}
	var keys []string
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			val = v
		}
		name = strings.TrimLeft(name, " ")
		if name == "" {
			continue
		}
		base, rest := name, ""
		if i := strings.IndexByte(name, '['); i > 0 && strings.Contains(name[i:], "]") {
			base, rest = name[:i], name[i:]
		}
		base = strings.NewReplacer(".", "_", " ", "_", "[", "_").Replace(base)
		if _, ok := out[base]; !ok {
			keys = append(keys, base)
		}
		if rest == "" {
			out[base] = val
			continue
		}
		var subs []string
		for len(rest) > 0 && rest[0] == '[' {
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				break
			}
			subs = append(subs, rest[1:end])
			rest = rest[end+1:]
		}
		out[base] = setPath(out[base], subs, val)
	}
	return out, keys
}

// setPath stores val under the bracket path subs ("" appends) in a PHP array value.
func setPath(cur any, subs []string, val any) any {
	if len(subs) == 0 {
		return val
	}
	sub := subs[0]
	switch c := cur.(type) {
	case []any:
		if sub == "" {
			return append(c, setPath(nil, subs[1:], val))
		}
		if i, err := strconv.Atoi(sub); err == nil && i >= 0 && i < len(c) {
			c[i] = setPath(c[i], subs[1:], val)
			return c
		}
		if i, err := strconv.Atoi(sub); err == nil && i == len(c) {
			return append(c, setPath(nil, subs[1:], val))
		}
		m := map[string]any{}
		for i, e := range c {
			m[strconv.Itoa(i)] = e
		}
		m[sub] = setPath(nil, subs[1:], val)
		return m
	case map[string]any:
		if sub == "" {
			sub = strconv.Itoa(nextIndex(c))
		}
		c[sub] = setPath(c[sub], subs[1:], val)
		return c
	}
	if sub == "" || sub == "0" {
		return []any{setPath(nil, subs[1:], val)}
	}
	return map[string]any{sub: setPath(nil, subs[1:], val)}
}

func nextIndex(m map[string]any) int {
	n := 0
	for k := range m {
		if i, err := strconv.Atoi(k); err == nil && i >= n {
			n = i + 1
		}
	}
	return n
}

// isAssoc is Core/Tools.inc is_assoc_array() on decoded request data: objects with keys
// (PUT bodies must be lists; `{}` decodes to an empty PHP array, which is a list).
func (d requestData) isAssoc() bool {
	return d.isObj && len(d.obj) > 0
}
