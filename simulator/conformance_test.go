package simulator_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/spec/native"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// The conformance table: what the real REST API answers, case by case, each naming the
// package source it follows (file and method) and the package's own test method that covers
// it (pfSense-pkg-RESTAPI Tests/*.inc), or saying that none does and what is ambiguous. Every
// case runs on a fresh simulator of the build's spec and native schema.

// ccase is one conformance case.
type ccase struct {
	area string
	name string
	// src is the package source the behaviour follows: a file under RESTAPI/ and a method.
	src string
	// test is the package test covering it ("Tests/<file> <method>"), or "" when none does.
	test string
	// note says what the source leaves ambiguous, or why no test covers it.
	note  string
	opts  simulator.Options
	steps []step
}

// step is one request and what it must answer. code 0 means 200 SUCCESS.
type step struct {
	method, path, body string
	headers            []string
	auth               string // "" BasicAuth admin:pfsense; "none"; "key:K"; "basic:user:pass"; "bearer:T"
	code               int
	id, msg            string
	contains           []string // substrings of the raw answer
	lacks              []string // substrings it must not have
	// subsets are JSON objects the answer's data holds somewhere, fields in any order (the
	// package answers in declaration order; v2.10.0's schema, and so the simulator, lists
	// fields alphabetically).
	subsets []string
	check   func(t *testing.T, r result)
}

type result struct {
	code   int
	header http.Header
	raw    []byte
	env    struct {
		Code       int             `json:"code"`
		Status     string          `json:"status"`
		ResponseID string          `json:"response_id"`
		Message    string          `json:"message"`
		Data       json.RawMessage `json:"data"`
	}
}

// field decodes one field of the data object.
func (r result) field(name string) any {
	var m map[string]any
	json.Unmarshal(r.env.Data, &m)
	return m[name]
}

// fill replaces each {prev.<field>} with that field of this (the previous step's) answer: a
// step can name what an earlier one made (a refid the simulator chose).
func (r result) fill(s string) string {
	for {
		i := strings.Index(s, "{prev.")
		if i < 0 {
			return s
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			return s
		}
		s = s[:i] + fmt.Sprint(r.field(s[i+len("{prev."):i+j])) + s[i+j+1:]
	}
}

// column decodes one field of every object in the data list.
func (r result) column(name string) []any {
	var l []map[string]any
	json.Unmarshal(r.env.Data, &l)
	out := make([]any, len(l))
	for i, o := range l {
		out[i] = o[name]
	}
	return out
}

func get(path string) step           { return step{method: "GET", path: path} }
func post(path, body string) step    { return step{method: "POST", path: path, body: body} }
func patch(path, body string) step   { return step{method: "PATCH", path: path, body: body} }
func put(path, body string) step     { return step{method: "PUT", path: path, body: body} }
func del(path string) step           { return step{method: "DELETE", path: path} }
func delBody(path, body string) step { return step{method: "DELETE", path: path, body: body} }

func (s step) is(code int, id, msg string) step         { s.code, s.id, s.msg = code, id, msg; return s }
func (s step) has(sub ...string) step                   { s.contains = append(s.contains, sub...); return s }
func (s step) not(sub ...string) step                   { s.lacks = append(s.lacks, sub...); return s }
func (s step) hdr(h ...string) step                     { s.headers = append(s.headers, h...); return s }
func (s step) as(a string) step                         { s.auth = a; return s }
func (s step) then(f func(t *testing.T, r result)) step { s.check = f; return s }
func (s step) sub(objs ...string) step                  { s.subsets = append(s.subsets, objs...); return s }

// somewhere reports whether v, or a value nested in it, holds want.
func somewhere(v, want any) bool {
	if holds(v, want) {
		return true
	}
	switch x := v.(type) {
	case map[string]any:
		for _, c := range x {
			if somewhere(c, want) {
				return true
			}
		}
	case []any:
		for _, c := range x {
			if somewhere(c, want) {
				return true
			}
		}
	}
	return false
}

// holds reports whether v has want's fields with their values (objects), an element holding
// each of want's elements (lists), or equals it (the rest).
func holds(v, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		for k, wv := range w {
			if mv, has := m[k]; !has || !holds(mv, wv) {
				return false
			}
		}
		return true
	case []any:
		l, ok := v.([]any)
		if !ok || len(l) < len(w) {
			return false
		}
		for _, we := range w {
			found := false
			for _, e := range l {
				found = found || holds(e, we)
			}
			if !found {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(v, want)
}

// eq checks a decoded value against a JSON literal.
func eq(t *testing.T, what string, got any, want string) {
	t.Helper()
	g, _ := json.Marshal(got)
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %s: %v", want, err)
	}
	wb, _ := json.Marshal(w)
	if !bytes.Equal(g, wb) {
		t.Errorf("%s = %s, want %s", what, g, wb)
	}
}

func send(t *testing.T, h http.Handler, s step) result {
	t.Helper()
	req := httptest.NewRequest(s.method, s.path, strings.NewReader(s.body))
	req.RemoteAddr = "192.168.1.100:51000"
	if s.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case s.auth == "":
		req.SetBasicAuth("admin", "pfsense")
	case s.auth == "none":
	case strings.HasPrefix(s.auth, "key:"):
		req.Header.Set("X-API-Key", strings.TrimPrefix(s.auth, "key:"))
	case strings.HasPrefix(s.auth, "basic:"):
		u, p, _ := strings.Cut(strings.TrimPrefix(s.auth, "basic:"), ":")
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u+":"+p)))
	case strings.HasPrefix(s.auth, "bearer:"):
		req.Header.Set("Authorization", "Bearer "+strings.TrimPrefix(s.auth, "bearer:"))
	}
	for _, hd := range s.headers {
		k, v, _ := strings.Cut(hd, ": ")
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	r := result{code: rec.Code, header: rec.Header(), raw: rec.Body.Bytes()}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		json.Unmarshal(r.raw, &r.env)
	}
	return r
}

func (c ccase) run(t *testing.T) {
	sim, err := simulator.New(c.opts)
	if err != nil {
		t.Fatal(err)
	}
	h := sim.Handler()
	var prev result
	for i, s := range c.steps {
		s.path, s.body, s.msg = prev.fill(s.path), prev.fill(s.body), prev.fill(s.msg)
		r := send(t, h, s)
		prev = r
		code, id := s.code, s.id
		if code == 0 {
			code, id = 200, "SUCCESS"
		}
		where := fmt.Sprintf("step %d: %s %s", i+1, s.method, s.path)
		if r.code != code || (id != "" && r.env.ResponseID != id) || (s.msg != "" && r.env.Message != s.msg) {
			t.Fatalf("%s\n got %d %s %q\nwant %d %s %q\nanswer: %.700s", where, r.code, r.env.ResponseID, r.env.Message, code, id, s.msg, r.raw)
		}
		for _, sub := range s.contains {
			if !bytes.Contains(r.raw, []byte(sub)) {
				t.Fatalf("%s: answer lacks %s\nanswer: %.900s", where, sub, r.raw)
			}
		}
		for _, sub := range s.subsets {
			var want, data any
			if err := json.Unmarshal([]byte(sub), &want); err != nil {
				t.Fatalf("%s: bad subset %s: %v", where, sub, err)
			}
			json.Unmarshal(r.env.Data, &data)
			if !somewhere(data, want) {
				t.Fatalf("%s: answer holds no %s\nanswer: %.900s", where, sub, r.raw)
			}
		}
		for _, sub := range s.lacks {
			if bytes.Contains(r.raw, []byte(sub)) {
				t.Fatalf("%s: answer has %s\nanswer: %.900s", where, sub, r.raw)
			}
		}
		if s.check != nil {
			s.check(t, r)
		}
	}
}

// TestConformance runs the table; its summary line gives the pass counts by area (README).
func TestConformance(t *testing.T) {
	cases := conformanceCases(t)
	passed := map[string]int{}
	total := map[string]int{}
	for _, c := range cases {
		c := c
		if c.src == "" || (c.test == "" && c.note == "") {
			t.Errorf("case %q names no package source or no test (and no note saying why)", c.name)
		}
		total[c.area]++
		ok := t.Run(c.area+": "+c.name, c.run)
		if ok {
			passed[c.area]++
		}
	}
	if len(cases) < 200 {
		t.Errorf("%d conformance cases, want at least 200", len(cases))
	}
	areas := make([]string, 0, len(total))
	for a := range total {
		areas = append(areas, a)
	}
	sort.Strings(areas)
	var b strings.Builder
	sum := 0
	for _, a := range areas {
		fmt.Fprintf(&b, "%s %d/%d; ", a, passed[a], total[a])
		sum += passed[a]
	}
	t.Logf("conformance: %d/%d passed: %s", sum, len(cases), b.String())
}

// nativeSchema is the build's native schema (cases that depend on the version read it).
func nativeSchema(t *testing.T) *native.Schema {
	t.Helper()
	b, err := specfile.ReadNative()
	if err != nil {
		t.Fatal(err)
	}
	s, err := native.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func startsWith(t *testing.T, r result, prefix string) {
	t.Helper()
	if !bytes.HasPrefix(bytes.TrimSpace(r.raw), []byte(prefix)) || r.env.ResponseID != "" {
		t.Errorf("answer does not start with %s (or is an envelope): %.80s", prefix, r.raw)
	}
}
