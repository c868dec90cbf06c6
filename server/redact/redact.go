// Package redact removes secrets from everything the server shows: tool answers, previews and
// their diffs, errors, the audit log and the log. A value is secret when
//   - its field is one of the tool's secret fields (toolspec.Tool.Secrets: the REST API package's
//     own sensitive and write-only flags, carried by the generator), at any depth: a secret
//     field's whole value is hidden, so the from/to of a diff of it are too;
//   - its field name looks like a secret's (package secretname: the net for credentials the
//     package flags neither way, and for tools of a spec without a native schema);
//   - it looks like key material (PEM private keys, OpenVPN static keys, crypt hashes);
//   - free text marks it as secret in a format pfSense writes (text.go: config.xml elements,
//     configuration lines, query strings, JSON text, URL user info, PEM blocks); or
//   - it is a secret this server knows (the caller's, its own credentials), in any of the forms
//     it takes in text: plain, URL-encoded, JSON- and PHP-escaped, base64.
//
// Numbers are secrets like strings; booleans are not ("usepass": true reveals nothing), and empty
// values stay visible, so that a model can tell an unset secret from a hidden one.
package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/pfsense-mcp/pfsense-mcp/internal/secretname"
)

// Marker replaces every secret value.
const Marker = "[REDACTED]"

// IsSecretField reports whether a field with this name looks like it holds a secret.
func IsSecretField(name string) bool { return secretname.Is(name) }

// keyMaterial matches values that are secrets whatever their field is called.
var keyMaterial = []*regexp.Regexp{
	regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`),
	regexp.MustCompile(`-----BEGIN OpenVPN Static key`),
	regexp.MustCompile(`^\$(2[abxy]?|5|6|y|argon2(id|i|d))\$[^\s]{20,}$`), // crypt(3) hashes
}

// LooksLikeKeyMaterial reports whether a string value is a secret by its form.
func LooksLikeKeyMaterial(s string) bool {
	if len(s) < 20 {
		return false
	}
	for _, re := range keyMaterial {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// Lengths of known secrets: from minKnown on they are replaced wherever they appear in text;
// shorter ones (down to minToken) only where they stand alone, so that a short numeric password
// echoed in "value `1234` is invalid" goes, but the digits of other numbers stay.
const (
	minKnown = 8
	minToken = 3
)

// Redactor redacts values decoded from JSON (map[string]any, []any, strings, numbers, ...).
// Its zero value redacts by field name, form and nothing else; New adds a tool's secret fields
// and Know secrets to scrub from text. It is not safe for concurrent Know calls.
type Redactor struct {
	paths     [][]string     // secret fields, split at dots
	known     []string       // sorted longest first, so a longer secret is replaced before its prefix.
	short     *regexp.Regexp // short known secrets, as whole tokens; nil when none.
	shortList []string
}

// New returns a redactor for the objects of a tool with these secret fields (toolspec.Tool.Secrets).
func New(secretFields []string) *Redactor {
	r := &Redactor{}
	for _, p := range secretFields {
		r.paths = append(r.paths, strings.Split(p, "."))
	}
	return r
}

// Know adds secret values (the caller's, the server's own credentials) to scrub from all text,
// with the encodings they take in URLs, JSON, PHP's JSON and base64. Short ones are scrubbed
// only where they stand alone (KnowLong leaves them out).
func (r *Redactor) Know(values ...string) {
	for _, v := range values {
		for _, form := range encodings(v) {
			switch {
			case len(form) >= minKnown:
				r.known = append(r.known, form)
			case len(form) >= minToken:
				r.shortList = append(r.shortList, form)
			}
		}
	}
	sort.Slice(r.known, func(i, j int) bool { return len(r.known[i]) > len(r.known[j]) })
	r.known = dedupe(r.known)
	if len(r.shortList) > 0 {
		sort.Slice(r.shortList, func(i, j int) bool { return len(r.shortList[i]) > len(r.shortList[j]) })
		r.shortList = dedupe(r.shortList)
		alts := make([]string, len(r.shortList))
		for i, s := range r.shortList {
			alts[i] = regexp.QuoteMeta(s)
		}
		r.short = regexp.MustCompile(`(^|[^A-Za-z0-9_])(` + strings.Join(alts, "|") + `)($|[^A-Za-z0-9_])`)
	}
}

// KnowLong is Know for values that are scrubbed only when long enough to be unmistakable
// (minKnown): the server's own password may be a common word ("pfsense"), which must not be
// cut out of every message that names the product.
func (r *Redactor) KnowLong(values ...string) {
	for _, v := range values {
		if len(v) >= minKnown {
			r.Know(v)
		}
	}
}

// encodings returns v as it may appear in text: itself, URL query and path escaped, JSON
// escaped, PHP-escaped (slashes as \/), and base64.
func encodings(v string) []string {
	out := []string{v, url.QueryEscape(v), url.PathEscape(v)}
	if b, err := json.Marshal(v); err == nil {
		j := string(b[1 : len(b)-1])
		out = append(out, j, strings.ReplaceAll(j, "/", `\/`))
	}
	if len(v) >= minKnown {
		out = append(out, base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)))
	}
	return dedupe(out)
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	out := list[:0]
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// Report says what a redaction hid.
type Report struct {
	fields map[string]bool
}

// Any reports whether anything was redacted.
func (r *Report) Any() bool { return r != nil && len(r.fields) > 0 }

// Fields returns the names of the fields whose values were hidden, sorted.
func (r *Report) Fields() []string {
	if r == nil {
		return nil
	}
	out := make([]string, 0, len(r.fields))
	for f := range r.fields {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func (r *Report) add(field string) {
	if field == "" {
		field = "(value)"
	}
	r.fields[field] = true
}

// Value returns v with secrets replaced by Marker, and what was hidden. v is not modified.
func (r *Redactor) Value(v any) (any, *Report) {
	rep := &Report{fields: map[string]bool{}}
	out := r.walk(v, nil, "", false, rep)
	return out, rep
}

// IsSecret reports whether a field named key, below the fields in chain, holds a secret.
func (r *Redactor) IsSecret(chain []string, key string) bool {
	if secretname.Is(key) {
		return true
	}
	for _, p := range r.paths {
		if p[len(p)-1] == key && subsequence(p[:len(p)-1], chain) {
			return true
		}
	}
	return false
}

// subsequence reports whether want appears in chain in order (not necessarily adjacent): the
// secret a_domainlist.cf_token is found under changes.a_domainlist.to[0].cf_token too.
func subsequence(want, chain []string) bool {
	i := 0
	for _, c := range chain {
		if i < len(want) && c == want[i] {
			i++
		}
	}
	return i == len(want)
}

func (r *Redactor) walk(v any, chain []string, field string, secret bool, rep *Report) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			s := secret || r.IsSecret(chain, k)
			f := field
			if !secret {
				f = k
			}
			out[k] = r.walk(val, append(chain[:len(chain):len(chain)], k), f, s, rep)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = r.walk(val, chain, field, secret, rep)
		}
		return out
	case string:
		if secret && x != "" {
			rep.add(field)
			return Marker
		}
		if LooksLikeKeyMaterial(x) {
			// Output that holds a key among other text (cat key.pem cert.pem) keeps the rest
			// when scrubFormats removes every key; otherwise the whole value goes.
			rep.add(field)
			if s := r.Text(x); !LooksLikeKeyMaterial(s) {
				return s
			}
			return Marker
		}
		if s := r.Text(x); s != x {
			rep.add(field)
			return s
		}
		return x
	case bool, nil:
		return v
	default: // numbers: float64, json.Number, int
		if secret {
			rep.add(field)
			return Marker
		}
		if s := fmt.Sprint(x); r.Text(s) != s {
			rep.add(field)
			return Marker
		}
		return v
	}
}

// Text scrubs known secret values from free text (messages, errors, log lines).
func (r *Redactor) Text(s string) string {
	s = scrubFormats(s)
	for _, k := range r.known {
		if strings.Contains(s, k) {
			s = strings.ReplaceAll(s, k, Marker)
		}
	}
	if r.short != nil {
		// Replace repeatedly: adjacent matches share their delimiters.
		for i := 0; i < 4 && r.short.MatchString(s); i++ {
			s = r.short.ReplaceAllString(s, "${1}"+Marker+"${3}")
		}
	}
	return s
}

// SecretsIn returns the secret values in v (strings and numbers under secret fields, key
// material anywhere), for Know.
func (r *Redactor) SecretsIn(v any) []string {
	var out []string
	var walk func(v any, chain []string, secret bool)
	walk = func(v any, chain []string, secret bool) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				walk(val, append(chain[:len(chain):len(chain)], k), secret || r.IsSecret(chain, k))
			}
		case []any:
			for _, val := range x {
				walk(val, chain, secret)
			}
		case string:
			if (secret || LooksLikeKeyMaterial(x)) && x != "" {
				out = append(out, x)
			}
		case bool, nil:
		default:
			if secret {
				out = append(out, fmt.Sprint(x))
			}
		}
	}
	walk(v, nil, false)
	return out
}

// SecretsIn returns the secret values in v by field name and form alone.
func SecretsIn(v any) []string { return (&Redactor{}).SecretsIn(v) }
