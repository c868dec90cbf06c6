package simulator_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/pfsense-mcp/pfsense-mcp/internal/argsample"
	"github.com/pfsense-mcp/pfsense-mcp/simulator"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/catalog"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/internal/synth"
	"github.com/pfsense-mcp/pfsense-mcp/simulator/rules"
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
		nb, err := specfile.ReadNative()
		if err != nil {
			specErr = err
			return
		}
		specCat, specErr = catalog.Build(b, nb)
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

	err := mt.Schema.Value.VisitJSON(v, openapi3.VisitAsResponse())
	// An object with nothing in it is an empty PHP array, which json_encode writes as [] (a
	// dry-run halt shows only write-only fields, an enum without choices): where the spec wants
	// an object, an empty list is the same value.
	for i := 0; err != nil && i < 20; i++ {
		if !emptyListToObject(v, schemaErrorPath(err)) {
			break
		}
		err = mt.Schema.Value.VisitJSON(v, openapi3.VisitAsResponse())
	}
	if err != nil {
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
	// The package's OpenAPI generator marks a field nullable only when it accepts null input
	// (Core/Field.inc to_openapi_property), yet the API answers null for unset and
	// conditional fields, and [] for lists with a minimum: answers are checked against what
	// the spec can say.
	s.MinItems = 0
	s.Nullable = true
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
	if s := f.cat.Schemas[op.Body.Model]; s != nil && s.Info != nil {
		return f.validBody(op.Model, s)
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
	if op.Method == "PATCH" && f.cat.Schemas[op.Model] != nil && f.cat.Schemas[op.Model].Info != nil {
		// A well-formed update of an existing object: the object as it is (every field
		// validated again), so non-editable and unique fields keep their values.
		b = map[string]any{}
	}
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
	codes := map[int]int{}
	unreachable := 0
	var failures []string
	for _, op := range cat.Ops {
		sim, err := simulator.New(simulator.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f := &sweepFixture{t: t, cat: cat, h: sim.Handler(), ops: ops}
		q, body := f.request(op)
		code, resp := callAccept(f.h, op.Method, op.Path, q, body, acceptFor(op.Model))
		codes[code]++
		if code != 200 && sweepKnown(op.Model) != "" {
			unreachable++
		}
		if code >= 500 && sweepKnown(op.Model) == "" {
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
	if codes[200]+unreachable != len(cat.Ops) {
		t.Errorf("only %d of %d well-formed requests succeeded (%d known unreachable)", codes[200], len(cat.Ops), unreachable)
	}
}

// schemaErrorPath is the JSON path of the innermost schema error (an allOf's error wraps the
// one that failed).
func schemaErrorPath(err error) []string {
	var path []string
	for err != nil {
		var me openapi3.MultiError
		if errors.As(err, &me) && len(me) > 0 {
			err = me[0]
			continue
		}
		var se *openapi3.SchemaError
		if !errors.As(err, &se) {
			break
		}
		if p := se.JSONPointer(); len(p) > 0 {
			path = p
		}
		if se.Origin == nil || se.Origin == err {
			break
		}
		err = se.Origin
	}
	return path
}

// emptyListToObject replaces the empty list at the path (JSON pointer parts) with an empty
// object; false when there is none there.
func emptyListToObject(v any, path []string) bool {
	if len(path) == 0 {
		return false
	}
	for _, k := range path[:len(path)-1] {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return false
			}
			v = x[i]
		default:
			return false
		}
	}
	last := path[len(path)-1]
	switch x := v.(type) {
	case map[string]any:
		if l, ok := x[last].([]any); ok && len(l) == 0 {
			x[last] = map[string]any{}
			return true
		}
	case []any:
		if i, err := strconv.Atoi(last); err == nil && i >= 0 && i < len(x) {
			if l, ok := x[i].([]any); ok && len(l) == 0 {
				x[i] = map[string]any{}
				return true
			}
		}
	}
	return false
}

func sweepKnown(model string) string {
	if strings.HasPrefix(model, "ACME") {
		return sweepUnreachable["ACME"]
	}
	return sweepUnreachable[model]
}

// acceptFor: the PKCS#12 export only answers binary (Endpoints/SystemCertificatePKCS12ExportEndpoint.inc).
func acceptFor(model string) string {
	if model == "CertificatePKCS12Export" {
		return "application/octet-stream"
	}
	return ""
}

func callAccept(h http.Handler, method, path string, query url.Values, body any, accept string) (int, []byte) {
	if accept == "" {
		return call(h, method, path, query, body)
	}
	b, _ := json.Marshal(body)
	u := path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req := httptest.NewRequest(method, u, bytes.NewReader(b))
	req.SetBasicAuth("admin", "pfsense")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", accept)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// validBody is a body the package's rules accept: the required fields whose conditions hold
// (and lists that may not stay empty, and unique fields whose default is taken), each with a
// value its class and validators accept (argsample.ValidValue), references resolved to
// existing objects, unique values made unique, nested objects built the same way.
func (f *sweepFixture) validBody(model string, s *catalog.Schema) map[string]any {
	b := map[string]any{}
	if model == "Certificate" || model == "CertificateAuthority" {
		// Import the seed's CA and its key again: the package checks for real X509 strings
		// and a matching key pair.
		call(f.h, "PATCH", "/api/v2/system/restapi/settings", nil, map[string]any{"expose_sensitive_fields": true})
		code, resp := call(f.h, "GET", "/api/v2/system/certificate_authority?id=0", nil, nil)
		var env struct{ Data map[string]any }
		if code == 200 && json.Unmarshal(resp, &env) == nil {
			return map[string]any{"descr": "sweep import", "crt": env.Data["crt"], "prv": env.Data["prv"]}
		}
	}
	if vary, ok := sweepVaried[model]; ok {
		f.n++
		var v map[string]any
		json.Unmarshal([]byte(vary(f.n)), &v)
		return v
	}
	if fixed, ok := sweepBodies[model]; ok {
		var v map[string]any
		json.Unmarshal([]byte(fixed), &v)
		return v
	}
	// Unconditional fields first, then the conditional ones whose conditions they meet
	// (again, for conditions on conditional fields).
	for pass := 0; pass < 4; pass++ {
		for _, p := range s.Props {
			needed := p.F != nil && (p.F.Required || (p.F.Many && !p.F.AllowEmpty && p.F.ManyMinimum > 0) ||
				(p.F.Nested != "" && !p.F.AllowEmpty) || (p.F.Unique && p.F.HasDefault))
			if _, done := b[p.Name]; done || !needed || p.F.ReadOnly || (len(p.F.Conditions) > 0) != (pass > 0) || !conditionsHold(s, p.F, b) {
				continue
			}
			v, ok := f.validValue(model, p)
			if !ok {
				continue
			}
			b[p.Name] = v
		}
	}
	return b
}

func (f *sweepFixture) validValue(model string, p *catalog.Prop) (any, bool) {
	fi := p.F
	var v any
	switch {
	case fi.Nested != "":
		child := f.cat.Schemas[fi.Nested]
		if child == nil {
			return nil, false
		}
		v = f.validBody(fi.Nested, child)
	case len(fi.Foreign) > 0:
		fv, ok := f.foreign(fi)
		if !ok {
			return nil, false
		}
		v = fv
	default:
		af := argsample.Field{Class: fi.Class, Type: fi.Type, Choices: fi.Choices, Options: fi.Options}
		if len(af.Choices) == 0 && fi.ChoicesCallable != "" {
			af.Choices = rules.StaticChoices(fi.ChoicesCallable) // pfSense's own table, where fixed
		}
		if _, ok := rules.IPsecKeylenField(model, p.Name); ok {
			af.Choices = rules.SharedIPsecKeylens()
		}
		if len(af.Choices) == 0 {
			// Choices the package computes from the firewall (IPsec algorithms): the spec's.
			af.Choices = p.Enum
			if p.Items != nil && len(p.Items.Enum) > 0 {
				af.Choices = p.Items.Enum
			}
		}
		for _, vd := range fi.Validators {
			af.Validators = append(af.Validators, rules.Validator{Class: vd.Class, Args: vd.Args})
		}
		x, ok := argsample.ValidValue(af, p.Name, "sweep_")
		if !ok {
			return nil, false
		}
		v = x
		if fi.Unique && len(fi.Choices) == 0 {
			f.n++
			switch y := x.(type) {
			case string:
				switch {
				case strings.HasPrefix(y, "sweep_"):
					v = fmt.Sprintf("%s%d", strings.TrimSuffix(y, "_"), f.n)
				case fi.Class == "PortField":
					v = fmt.Sprint(20000 + f.n)
				}
			case int64:
				v = y + 100 + int64(f.n)
			}
		}
	}
	if fi.Many {
		return []any{v}, true
	}
	return v, true
}

// foreign finds an existing object of a ForeignModelField's models and returns its value.
func (f *sweepFixture) foreign(fi *catalog.FieldInfo) (any, bool) {
	for _, k := range fi.OptList("allowed_keywords") {
		if s, ok := k.(string); ok && s != "" {
			return s, true
		}
	}
	for _, fm := range fi.Foreign {
		list := f.find(fm, "GET", true)
		if list == nil {
			continue
		}
		code, resp := call(f.h, "GET", list.Path, nil, nil)
		if code != 200 {
			continue
		}
		var env struct{ Data []map[string]any }
		json.Unmarshal(resp, &env)
		// The last one: a unique reference is then least likely taken already.
		for i := len(env.Data) - 1; i >= 0; i-- {
			if v, ok := env.Data[i][fi.ForeignField]; ok && v != nil && v != "" {
				return v, true
			}
		}
	}
	return nil, false
}

// conditionsHold evaluates a field's conditions against the body built so far (defaults
// standing in for fields not set).
func conditionsHold(s *catalog.Schema, fi *catalog.FieldInfo, b map[string]any) bool {
	for _, c := range fi.Conditions {
		if c.Parent {
			continue
		}
		v, ok := b[c.Field]
		if !ok {
			if p := s.Prop(c.Field); p != nil && p.F != nil {
				v = p.F.Default
				// Send the default explicitly: the package checks a condition against the
				// other field's value at that point of the field loop, before that field's
				// own default is applied if it comes later.
				if v != nil && !p.F.ReadOnly {
					defer func(name string, val any) { b[name] = val }(c.Field, v)
				}
			}
		}
		met := false
		for _, want := range c.Values {
			g, _ := json.Marshal(v)
			w, _ := json.Marshal(want)
			if string(g) == string(w) {
				met = true
			}
		}
		if met == c.Negate {
			return false
		}
	}
	return true
}

// sweepBodies are request bodies for models whose valid objects need more than required
// fields with sample values: cross-field rules of the models' own validate methods.
var sweepBodies = map[string]string{
	// motp_enable is declared after password: without it, password's condition reads null
	// and the password is dropped (see the conformance case on FreeRADIUS users).
	"FreeRADIUSUser": `{"username":"sweep_radius","password":"pw","motp_enable":false}`,
	"Package":        `{"name":"pfSense-pkg-nmap"}`,
	// hour is checked by FirewallScheduleTimeRange::validate_hour (HH:MM-HH:MM).
	"FirewallScheduleTimeRange": `{"position":[1,2,3,4,5],"hour":"9:00-17:00"}`,
	// target wan:ip needs no target_subnet (OutboundNATMapping validate_target_subnet).
	"OutboundNATMapping": `{"interface":"wan","source":"192.168.1.0/24","destination":"any","target":"wan:ip"}`,
	// InterfaceGRE validate_extra wants a local address; LAGG members are device names
	// (validate_members); cron runs as an OS user (validate_who).
	"InterfaceGRE":  `{"if":"wan","remote_addr":"198.51.100.1","tunnel_local_addr":"10.99.0.1","tunnel_remote_addr":"10.99.0.2","tunnel_remote_net":30}`,
	"InterfaceLAGG": `{"members":["em2"],"proto":"lacp"}`,
	"CronJob":       `{"minute":"0","hour":"3","mday":"*","month":"*","wday":"*","who":"root","command":"/usr/bin/true sweep"}`,
	// Ranges inside the interface's subnet, clear of the seed's range and static mapping
	// (DHCPServer and DHCPServerAddressPool validate_range_from/to and validate_extra); the
	// pool's parent is the first server, lan.
	"DHCPServer": `{"interface":"opt1","enable":true,"range_from":"10.0.4.100","range_to":"10.0.4.199"}`,
	"GraphQL":    `{"query":"{ __typename }"}`,
	// A VLAN's parent is a device of the firewall (InterfaceVLAN validate_if).
	"InterfaceVLAN": `{"if":"em2","tag":100}`,
	// Only an internal CRL revokes certificates (CertificateRevocationListRevokedCertificate
	// validate_extra); the seed's CA signs it.
	"CertificateRevocationList": `{"descr":"sweep_crl","caref":"67a1f0c2a9b8c","method":"internal"}`,
	// The sweep's own values would pick a percentage parent and a queue in Mb (TrafficShaperQueue::validate_bandwidthtype).
	"TrafficShaper":   `{"name":"sweep_shaper","interface":"lan","scheduler":"HFSC","bandwidthtype":"Mb","bandwidth":100}`,
	"WireGuardTunnel": `{"privatekey":"AAoRGB8mLTQ7QklQV15lbHN6gYiPlp2kq7K5wMfO1Vw=","listenport":"51999"}`,
}

// sweepVaried are bodies that must differ between objects of one parent (n counts up).
var sweepVaried = map[string]func(n int) string{
	// Pools may not overlap each other (DHCPServerAddressPool validate_extra).
	"DHCPServerAddressPool": func(n int) string {
		return fmt.Sprintf(`{"range_from":"192.168.1.%d","range_to":"192.168.1.%d"}`, 200+2*(n%25), 201+2*(n%25))
	},
}

// sweepUnreachable are operations a fresh simulator cannot answer 200 to from generated
// data, and why; they must still answer as the spec documents, never with an unexplained 5xx.
var sweepUnreachable = map[string]string{
	"ACME":                          "the ACME package's objects need an RSA account key generated and registered first",
	"HAProxyBackendErrorFile":       "an error file refers to an HAProxy file object, which needs real file content",
	"HAProxyFrontendErrorFile":      "an error file refers to an HAProxy file object, which needs real file content",
	"CertificateSigningRequestSign": "signing needs a real certificate signing request",
	"RoutingGatewayGroupPriority":   "each gateway may appear once per group and the seed's group uses both gateways",
	"OpenVPNClientExport":           "the export needs the OpenVPN client export settings of a server first",
	"RESTAPISettingsSync":           "the sync data must be an HA peer's serialized settings (and v2.10.0 needs this host's ha_sync on); the conformance table covers it",
	"HAProxyDNSResolver":            "a child of HAProxySettings is looked up by id before its parent without a parent_id, which the spec does not declare (Model::get_config_path, a 500)",
	"HAProxyEmailMailer":            "a child of HAProxySettings is looked up by id before its parent without a parent_id, which the spec does not declare (Model::get_config_path, a 500)",
	"NetworkInterface":              "re-saving wan fails: its descr WAN is a pf reserved name (see the conformance case)",
	"DHCPRelay":                     "a new firewall has no DHCP relay server, which the model requires",
	"BINDSyncSettings":              "a new firewall has no BIND sync settings, which the model requires",
}
