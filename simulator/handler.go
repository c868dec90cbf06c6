package simulator

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// apiError is an answer other than success: status code, response_id and message.
type apiError struct {
	code int
	id   string
	msg  string
}

func (e *apiError) Error() string { return e.id + ": " + e.msg }

func errf(code int, id, format string, args ...any) *apiError {
	return &apiError{code: code, id: id, msg: fmt.Sprintf(format, args...)}
}

// request is one API call on its way through the pipeline.
type request struct {
	r    *http.Request
	op   *operation
	m    *model
	user string
	// params are the input fields: the JSON body object, or the query string / form
	// fields (form set: every value is a string, coerced like the REST API does).
	params map[string]any
	list   []any // a JSON array body (PUT)
	form   bool
	ctl    controls
	// after runs once the answer is written (halt, reboot).
	after func()
	// rawType, when set, sends the data as is with this content type (binary downloads).
	rawType, rawName string
}

// controls are the REST API's common control parameters.
type controls struct {
	apply, async, append, remove, reverse, all bool
	placement                                  *int64
	limit, offset                              int64
	sortBy                                     []string
	sortOrder                                  string
}

// answer is a finished response.
type answer struct {
	code int
	body []byte
	// header is an extra header (WWW-Authenticate for failed BasicAuth).
	header, value string
	ctype         string // Content-Type when not JSON
}

var statusText = map[int]string{
	200: "ok", 400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found",
	405: "method not allowed", 406: "not acceptable", 409: "conflict", 415: "unsupported media type",
	422: "unprocessable content", 424: "failed dependency", 500: "internal server error",
	503: "service unavailable",
}

// messageQuotes is how the REST API cleans messages: ' and " become backticks.
var messageQuotes = strings.NewReplacer("'", "`", `"`, "`")

// envelope encodes the REST API's response envelope around already-encoded data.
func envelope(code int, id, msg string, data []byte) []byte {
	b := make([]byte, 0, len(data)+96)
	b = append(b, `{"code":`...)
	b = strconv.AppendInt(b, int64(code), 10)
	b = append(b, `,"status":`...)
	b = appendString(b, statusText[code])
	b = append(b, `,"response_id":`...)
	b = appendString(b, strings.ToUpper(id))
	b = append(b, `,"message":`...)
	b = appendString(b, messageQuotes.Replace(msg))
	b = append(b, `,"data":`...)
	b = append(b, data...)
	return append(b, '}')
}

func errorAnswer(e *apiError) answer {
	return answer{code: e.code, body: envelope(e.code, e.id, e.msg, []byte("[]"))}
}

func success(data []byte) answer {
	return answer{code: 200, body: envelope(200, "SUCCESS", "", data)}
}

const schemaPath = "/api/v2/schema/openapi"

// nginx404 is what the firewall's web server answers for a URL that is no API endpoint.
const nginx404 = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// ServeHTTP runs the REST API's pipeline: API enabled, authentication and authorization,
// Accept, method, request decoding, required packages, then the model operation.
func (sim *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if len(path) > 1 && strings.HasSuffix(path, "/") {
		path = strings.TrimSuffix(path, "/")
	}
	if path == schemaPath {
		w.Header().Set("Content-Type", "application/json")
		w.Write(sim.spec)
		return
	}
	rt := sim.routes[path]
	if rt == nil {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, nginx404)
		return
	}
	writes := r.Method != http.MethodGet
	if writes {
		sim.mu.Lock()
	} else {
		sim.mu.RLock()
	}
	req := &request{r: r}
	ans := sim.serve(rt, req)
	if writes {
		sim.mu.Unlock()
	} else {
		sim.mu.RUnlock()
	}
	h := w.Header()
	if ans.ctype != "" {
		h.Set("Content-Type", ans.ctype)
	} else {
		h.Set("Content-Type", "application/json")
	}
	if ans.header != "" {
		h.Set(ans.header, ans.value)
	}
	w.WriteHeader(ans.code)
	w.Write(ans.body)
	sim.log.Debug("request", "method", r.Method, "path", path, "code", ans.code)
	if req.after != nil {
		go req.after()
	}
}

func (sim *Simulator) serve(rt *route, req *request) (ans answer) {
	defer func() {
		if p := recover(); p != nil {
			sim.log.Error("unexpected error", "path", rt.path, "panic", p)
			ans = errorAnswer(errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "An unexpected error occurred while processing the request."))
		}
	}()
	r := req.r
	settings := sim.st.Singles["RESTAPISettings"]
	if enabled, ok := settings["enabled"].(bool); ok && !enabled {
		return errorAnswer(errf(503, "ENDPOINT_REST_API_IS_NOT_ENABLED", "The REST API is currently not enabled on this system."))
	}
	op := rt.ops[r.Method]
	if e := sim.authenticate(req, op, settings); e != nil {
		a := errorAnswer(e)
		if e.code == 401 && sim.allowsBasic(op, settings) {
			a.header, a.value = "WWW-Authenticate", `Basic realm="pfSense REST API"`
		}
		return a
	}
	if e := sim.authorize(req.user, rt, op); e != nil {
		return errorAnswer(e)
	}
	if !acceptsJSON(r.Header.Get("Accept")) {
		return errorAnswer(errf(406, "ENDPOINT_ACCEPT_CONTENT_TYPE_NOT_SUPPORTED",
			"The requested content type `%s` is not supported. Supported content types are: application/json", r.Header.Get("Accept")))
	}
	if op == nil {
		return errorAnswer(errf(405, "ENDPOINT_METHOD_NOT_ALLOWED",
			"Resource at %s does not support the requested HTTP method `%s`", rt.path, r.Method))
	}
	req.op, req.m = op, op.model
	if e := sim.decodeInput(req); e != nil {
		return errorAnswer(e)
	}
	if e := sim.requirePackages(op); e != nil {
		return errorAnswer(e)
	}
	data, e := sim.dispatch(req)
	if e != nil {
		return errorAnswer(e)
	}
	sim.recordRevision(req)
	if req.rawType != "" {
		return answer{code: 200, body: data, ctype: req.rawType,
			header: "Content-Disposition", value: `attachment; filename="` + req.rawName + `"`}
	}
	if op.Model == "GraphQL" {
		return answer{code: 200, body: data}
	}
	return success(data)
}

func acceptsJSON(accept string) bool {
	if accept == "" {
		return true
	}
	for _, part := range strings.Split(accept, ",") {
		mt := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		switch mt {
		case "*/*", "application/*", "application/json":
			return true
		}
	}
	return false
}

// decodeInput reads the request data: GET and DELETE take the query string unless they send
// a JSON body; POST, PUT and PATCH take a JSON body unless they send a form.
func (sim *Simulator) decodeInput(req *request) *apiError {
	r := req.r
	ct := r.Header.Get("Content-Type")
	mt := ""
	if ct != "" {
		var err error
		mt, _, err = mime.ParseMediaType(ct)
		if err != nil {
			mt = ct
		}
	}
	readQuery := r.Method == http.MethodGet || r.Method == http.MethodDelete
	switch mt {
	case "":
	case "application/json":
		readQuery = false
	case "application/x-www-form-urlencoded":
		readQuery = true
	default:
		return errf(415, "ENDPOINT_CONTENT_TYPE_NOT_SUPPORTED",
			"The request content type `%s` is not supported. Supported content types are: application/json, application/x-www-form-urlencoded", mt)
	}
	if readQuery {
		vals := r.URL.Query()
		if mt == "application/x-www-form-urlencoded" && r.Body != nil && r.Method != http.MethodGet {
			b, _ := io.ReadAll(io.LimitReader(r.Body, 8<<20))
			if body, err := url.ParseQuery(string(b)); err == nil {
				for k, v := range body {
					vals[k] = append(vals[k], v...)
				}
			}
		}
		req.params = formParams(vals)
		req.form = true
	} else {
		b, err := io.ReadAll(io.LimitReader(r.Body, 8<<20))
		if err != nil {
			return errf(400, "JSON_CONTENT_HANDLER_COULD_NOT_DECODE_JSON", "Could not decode request body as JSON: %v", err)
		}
		req.params = map[string]any{}
		if len(strings.TrimSpace(string(b))) > 0 {
			var v any
			dec := json.NewDecoder(strings.NewReader(string(b)))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				return errf(400, "JSON_CONTENT_HANDLER_COULD_NOT_DECODE_JSON", "Could not decode request body as JSON. Ensure the request body is valid JSON.")
			}
			switch x := v.(type) {
			case map[string]any:
				req.params = x
			case []any:
				req.list = x
			}
		}
	}
	if req.op.Method == http.MethodPut && req.op.Plural && req.list == nil {
		if req.form || len(req.params) > 0 {
			return errf(400, "ENDPOINT_REQUEST_DATA_MUST_BE_INDEXED_ARRAY", "The request data must be an indexed array of objects for this endpoint.")
		}
		req.list = []any{}
	}
	return sim.readControls(req)
}

func formParams(vals url.Values) map[string]any {
	out := make(map[string]any, len(vals))
	for k, v := range vals {
		if strings.HasSuffix(k, "[]") {
			items := make([]any, len(v))
			for i, s := range v {
				items[i] = s
			}
			out[strings.TrimSuffix(k, "[]")] = items
			continue
		}
		if len(v) > 1 {
			items := make([]any, len(v))
			for i, s := range v {
				items[i] = s
			}
			out[k] = items
			continue
		}
		out[k] = v[0]
	}
	return out
}

// controlNames are the control parameters: never model fields, never filters.
var controlNames = map[string]bool{
	"apply": true, "async": true, "placement": true, "append": true, "remove": true,
	"reverse": true, "sort_by": true, "sort_order": true, "sort_flags": true, "limit": true,
	"offset": true, "all": true,
}

func (sim *Simulator) readControls(req *request) *apiError {
	p := req.params
	c := &req.ctl
	c.async = true
	var e *apiError
	boolean := func(name string, dst *bool) {
		v, ok := p[name]
		if !ok || e != nil {
			return
		}
		switch x := v.(type) {
		case bool:
			*dst = x
		case string:
			if !req.form {
				e = controlTypeError(name, "boolean")
				return
			}
			switch strings.ToLower(x) {
			case "true", "1", "yes", "on":
				*dst = true
			case "false", "0", "no", "off", "":
				*dst = false
			default:
				e = controlTypeError(name, "boolean")
			}
		default:
			e = controlTypeError(name, "boolean")
		}
	}
	integer := func(name string) (int64, bool) {
		v, ok := p[name]
		if !ok || e != nil {
			return 0, false
		}
		switch x := v.(type) {
		case json.Number:
			if i, err := x.Int64(); err == nil {
				return i, true
			}
		case string:
			if req.form {
				if i, err := strconv.ParseInt(x, 10, 64); err == nil {
					return i, true
				}
			}
		}
		e = controlTypeError(name, "integer")
		return 0, false
	}
	boolean("apply", &c.apply)
	boolean("async", &c.async)
	boolean("append", &c.append)
	boolean("remove", &c.remove)
	boolean("reverse", &c.reverse)
	boolean("all", &c.all)
	if v, ok := integer("limit"); ok {
		c.limit = v
	}
	if v, ok := integer("offset"); ok {
		c.offset = v
	}
	if v, ok := integer("placement"); ok {
		c.placement = &v
	}
	if e != nil {
		return e
	}
	if v, ok := p["sort_by"]; ok {
		switch x := v.(type) {
		case string:
			c.sortBy = []string{x}
		case []any:
			for _, it := range x {
				s, ok := it.(string)
				if !ok {
					return controlTypeError("sort_by", "array")
				}
				c.sortBy = append(c.sortBy, s)
			}
		case nil:
		default:
			return controlTypeError("sort_by", "array")
		}
	}
	if v, ok := p["sort_order"]; ok {
		s, _ := v.(string)
		switch s {
		case "SORT_ASC", "SORT_DESC":
			c.sortOrder = s
		default:
			return errf(400, "ENDPOINT_SORT_ORDER_FIELD_INVALID_CHOICE", "Field `sort_order` must be one of [SORT_ASC, SORT_DESC]")
		}
	}
	return nil
}

func controlTypeError(name, typ string) *apiError {
	return errf(400, "ENDPOINT_"+strings.ToUpper(name)+"_FIELD_INVALID_TYPE", "Field `%s` must be of type `%s`.", name, typ)
}

// requirePackages answers 424 when an endpoint needs a package that is not installed.
func (sim *Simulator) requirePackages(op *operation) *apiError {
	for _, p := range op.Packages {
		if !sim.installed(p) {
			return errf(424, "MODEL_MISSING_REQUIRED_PACKAGE",
				"The requested action requires the `%s` package but it is not installed.", p)
		}
	}
	return nil
}

func (sim *Simulator) installed(pkg string) bool {
	for _, o := range sim.st.Lists["Package"] {
		if o["name"] == pkg {
			return true
		}
	}
	return false
}

// recordRevision adds a config history revision for a change to the configuration, as
// pfSense does on every write_config.
func (sim *Simulator) recordRevision(req *request) {
	op, m := req.op, req.m
	if op.Method == http.MethodGet || strings.HasSuffix(op.Path, "/apply") {
		return
	}
	if !m.writable && !(op.Method == http.MethodPatch && !m.many) {
		return
	}
	verb := map[string]string{"POST": "Added", "PATCH": "Modified", "PUT": "Replaced", "DELETE": "Deleted"}[op.Method]
	host, _, err := net.SplitHostPort(req.r.RemoteAddr)
	if err != nil {
		host = req.r.RemoteAddr
	}
	rev := map[string]any{
		"time":        sim.opts.Now().Unix(),
		"description": fmt.Sprintf("%s@%s (API): %s %s via the REST API", req.user, host, verb, m.name),
		"version":     "24.0",
		"filesize":    int64(38000 + 211*len(sim.st.Lists["ConfigHistoryRevision"])),
	}
	sim.st.Lists["ConfigHistoryRevision"] = append(sim.st.Lists["ConfigHistoryRevision"], rev)
}
