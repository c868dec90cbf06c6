package simulator_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/synth"
	"github.com/pfsense-mcp/pfsense-mcp/spec/specfile"
)

// The spec, loaded once per test binary: kin-openapi for response schemas (slow, ~2 s) and
// the simulator's own catalog for building requests.
var (
	specOnce sync.Once
	specDoc  *openapi3.T
	specCat  *catalog.Catalog
	specErr  error
)

func loadSpec(t testing.TB) (*openapi3.T, *catalog.Catalog) {
	t.Helper()
	specOnce.Do(func() {
		b, err := specfile.Read()
		if err != nil {
			specErr = err
			return
		}
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(b)
		if specErr != nil {
			return
		}
		// In the REST API's spec, maxItems: 0 means unlimited, not "must be empty".
		seen := map[*openapi3.Schema]bool{}
		for _, s := range specDoc.Components.Schemas {
			unlimitMaxItems(s, seen)
		}
		specCat, specErr = catalog.Compile(b)
	})
	if specErr != nil {
		t.Fatalf("load spec: %v", specErr)
	}
	return specDoc, specCat
}

// checkResponse validates a JSON answer against the spec's schema for that operation and
// status code.
func checkResponse(t testing.TB, method, path string, code int, body []byte) error {
	doc, _ := loadSpec(t)
	item := doc.Paths.Value(path)
	if item == nil {
		return fmt.Errorf("path %s not in spec", path)
	}
	op := item.GetOperation(method)
	if op == nil {
		// An unsupported method (405): every operation of the path documents the same
		// error envelope.
		for _, o := range item.Operations() {
			op = o
			break
		}
	}
	if op == nil {
		return fmt.Errorf("%s %s not in spec", method, path)
	}
	resp := op.Responses.Status(code)
	if resp == nil || resp.Value == nil {
		return fmt.Errorf("%s %s: status %d not in spec", method, path, code)
	}
	if resp.Value.Content.Get("application/octet-stream") != nil && len(body) > 0 {
		return nil // a binary download
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return fmt.Errorf("%s %s %d: no JSON schema", method, path, code)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("%s %s %d: body is not JSON: %v: %.200s", method, path, code, err, body)
	}
	if err := mt.Schema.Value.VisitJSON(v, openapi3.VisitAsResponse()); err != nil {
		return fmt.Errorf("%s %s %d: response does not match the spec: %v\nbody: %.600s", method, path, code, firstLine(err.Error()), body)
	}
	return nil
}

func unlimitMaxItems(ref *openapi3.SchemaRef, seen map[*openapi3.Schema]bool) {
	if ref == nil || ref.Value == nil || seen[ref.Value] {
		return
	}
	s := ref.Value
	seen[s] = true
	if s.MaxItems != nil && *s.MaxItems == 0 {
		s.MaxItems = nil
	}
	for _, p := range s.Properties {
		unlimitMaxItems(p, seen)
	}
	unlimitMaxItems(s.Items, seen)
	for _, list := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, x := range list {
			unlimitMaxItems(x, seen)
		}
	}
}

func firstLine(s string) string {
	if i := strings.Index(s, "\n"); i > 0 {
		return s[:i]
	}
	return s
}

// call runs one request through the handler in-process with BasicAuth admin:pfsense.
func call(h http.Handler, method, path string, query url.Values, body any) (int, []byte) {
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	} else {
		rd = bytes.NewReader(nil)
	}
	u := path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req := httptest.NewRequest(method, u, rd)
	req.SetBasicAuth("admin", "pfsense")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// sweepFixture finds, or creates, objects that operations on a model can target.
type sweepFixture struct {
	t   *testing.T
	cat *catalog.Catalog
	h   http.Handler
	ops map[string][]*catalog.Op // by model
	n   int                      // makes unique values unique
}

func (f *sweepFixture) find(model, method string, plural bool) *catalog.Op {
	for _, op := range f.ops[model] {
		if op.Method == method && op.Plural == plural {
			return op
		}
	}
	return nil
}

// body is a well-formed request body for op: every writable field with a valid value.
func (f *sweepFixture) body(op *catalog.Op) map[string]any {
	b := map[string]any{}
	if op.Body == nil || op.Body.Model == "" {
		return b
	}
	if s := f.cat.Schemas[op.Body.Model]; s != nil {
		b = synth.Object(f.cat, s, true)
	}
	// Unique fields get a value no other object uses.
	for _, p := range f.cat.Schemas[op.Body.Model].Props {
		if p.Unique && p.Type == "string" {
			f.n++
			b[p.Name] = fmt.Sprintf("sweep_%d", f.n)
		}
	}
	switch op.Model {
	case "Package":
		b["name"] = "pfSense-pkg-nmap"
	case "CertificatePKCS12Export":
		b["certref"] = "67a1f0c2b3d4e" // the seed's webConfigurator certificate
	case "CertificateGenerate":
		b["caref"] = "67a1f0c2a9b8c" // the seed's CA
	}
	return b
}

// target returns the ids (parent_id, id) of an existing object of the model, creating
// the parent and the object first when there are none; fresh always creates one (deletes
// target a new object: seed objects such as the admin user are protected).
func (f *sweepFixture) target(model string, fresh bool) (parentID, id any, ok bool) {
	var parentModel string
	for _, op := range f.ops[model] {
		if op.Parent != "" {
			parentModel = op.Parent
		}
	}
	if list := f.find(model, "GET", true); list != nil && !(fresh && f.find(model, "POST", false) != nil) {
		if pid, id, ok := f.first(list.Path); ok {
			return pid, id, true
		}
	}
	create := f.find(model, "POST", false)
	if create == nil {
		return nil, nil, false
	}
	b := f.body(create)
	if parentModel != "" {
		_, pid, ok := f.target(parentModel, false)
		if !ok {
			pid = 0
		}
		b["parent_id"] = pid
	}
	code, resp := call(f.h, "POST", create.Path, nil, b)
	if code != 200 {
		f.t.Logf("could not create a %s to target: %d %s", model, code, resp)
		return nil, nil, false
	}
	var env struct {
		Data map[string]any `json:"data"`
	}
	json.Unmarshal(resp, &env)
	return env.Data["parent_id"], env.Data["id"], true
}

func (f *sweepFixture) first(path string) (any, any, bool) {
	code, resp := call(f.h, "GET", path, nil, nil)
	if code != 200 {
		return nil, nil, false
	}
	var env struct {
		Data []map[string]any `json:"data"`
	}
	if json.Unmarshal(resp, &env) != nil || len(env.Data) == 0 {
		return nil, nil, false
	}
	return env.Data[0]["parent_id"], env.Data[0]["id"], true
}

// request builds a well-formed request for op.
func (f *sweepFixture) request(op *catalog.Op) (url.Values, any) {
	q := url.Values{}
	needsID := op.HasParam("id") || (op.Body != nil && contains(op.Body.Required, "id")) || (op.Method == "DELETE" && op.Plural)
	var pid, id any
	if needsID || op.HasParam("parent_id") || (op.Body != nil && contains(op.Body.Required, "parent_id")) {
		pid, id, _ = f.target(op.Model, op.Method == "DELETE")
		if id == nil {
			id = 0
		}
	}
	switch op.Method {
	case "GET", "DELETE":
		if op.HasParam("parent_id") {
			q.Set("parent_id", fmt.Sprint(pid))
		}
		if op.HasParam("id") {
			q.Set("id", fmt.Sprint(id))
		}
		if op.Method == "DELETE" && op.Plural {
			q.Set("id", fmt.Sprint(id))
		}
		return q, nil
	case "PUT":
		return q, []any{f.body(op)}
	}
	b := f.body(op)
	if op.Body != nil && contains(op.Body.Required, "parent_id") {
		if pid == nil {
			_, pid, _ = f.target(parentOf(f, op.Model), false)
		}
		b["parent_id"] = pid
	}
	if needsID {
		b["id"] = id
	}
	return q, b
}

func parentOf(f *sweepFixture, model string) string {
	for _, op := range f.ops[model] {
		if op.Parent != "" {
			return op.Parent
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestEveryOperation sends a well-formed request to each of the spec's operations, each on
// a fresh simulator, and checks that none fails with a 5xx and that every answer matches
// the spec's response schema for its status code.
func TestEveryOperation(t *testing.T) {
	_, cat := loadSpec(t)
	ops := map[string][]*catalog.Op{}
	for _, op := range cat.Ops {
		ops[op.Model] = append(ops[op.Model], op)
	}
	if len(cat.Ops) != 677 {
		t.Errorf("spec has %d operations, want 677", len(cat.Ops))
	}
	codes := map[int]int{}
	var failures []string
	for _, op := range cat.Ops {
		sim, err := simulator.New(simulator.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f := &sweepFixture{t: t, cat: cat, h: sim.Handler(), ops: ops}
		q, body := f.request(op)
		code, resp := call(f.h, op.Method, op.Path, q, body)
		codes[code]++
		if code >= 500 {
			failures = append(failures, fmt.Sprintf("%s %s: %d %s", op.Method, op.Path, code, resp))
			continue
		}
		if err := checkResponse(t, op.Method, op.Path, code, resp); err != nil {
			failures = append(failures, err.Error())
		}
		if code != 200 {
			t.Logf("%s %s: %d %.200s", op.Method, op.Path, code, resp)
		}
	}
	sort.Strings(failures)
	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("status codes over %d operations: %v", len(cat.Ops), codes)
	if codes[200] != len(cat.Ops) {
		t.Errorf("only %d of %d well-formed requests succeeded", codes[200], len(cat.Ops))
	}
}
