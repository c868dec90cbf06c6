package simulator

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// apiError is an answer other than success: status code, response_id and message, and the
// data some errors carry (the objects that still reference one being deleted).
type apiError struct {
	code int
	id   string
	msg  string
	data []byte
}

func (e *apiError) Error() string { return e.id + ": " + e.msg }

func errf(code int, id, format string, args ...any) *apiError {
	return &apiError{code: code, id: id, msg: fmt.Sprintf(format, args...)}
}

// request is one API call on its way through the pipeline.
// maxAuthLog bounds the auth log's lines.
const maxAuthLog = 5000

type request struct {
	r    *http.Request
	op   *operation
	m    *model
	user string
	// authLog is the auth log line the authentication wrote (logAuthentication), appended
	// after the request.
	authLog string
	// params is the request data object, keys its keys in request order (the query filters
	// follow it); list is a list body (PUT). Values have the types PHP gives them
	// (reqdata.go).
	params map[string]any
	keys   []string
	list   []any
	isList bool
	ctl    controls
	// encoder is the response content type the client asked for (JSON or binary).
	encoder string
	// after runs once the answer is written (halt, reboot).
	after func()
	// rawType, when set, sends the data as is with this content type (binary downloads).
	rawType, rawName string
	// rawBody, when set, is the download instead of what the operation answered.
	rawBody []byte
}

// controls are the REST API's common control parameters (Core/Endpoint.inc validate_*): the
// typed ones are removed from the request data, apply, all and placement stay in it.
type controls struct {
	apply, async, append, remove, reverse, all, dryRun bool
	placement                                          any
	hasPlacement                                       bool
	limit, offset                                      int64
	sortBy                                             []string
	sortOrder                                          string
	sortFlags                                          string
}

// answer is a finished response.
type answer struct {
	code int
	body []byte
	// header is an extra header (WWW-Authenticate for failed BasicAuth).
	header, value string
	ctype         string // Content-Type when not JSON
}

// statusText is Core/Response.inc HTTP_STATUS_MESSAGES for the codes the API answers with.
var statusText = map[int]string{
	200: "ok", 400: "bad request", 401: "unauthorized", 403: "forbidden", 404: "not found",
	405: "method not allowed", 406: "not acceptable", 409: "conflict", 415: "unsupported media type",
	422: "unprocessable entity", 424: "failed dependency", 500: "internal server error",
	503: "service unavailable",
}

// messageQuotes is how Core/Response.inc cleans messages: ' and " become backticks.
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
	data := e.data
	if data == nil {
		data = []byte("[]")
	}
	return answer{code: e.code, body: envelope(e.code, e.id, e.msg, data)}
}

func success(data []byte) answer {
	return answer{code: 200, body: envelope(200, "SUCCESS", "", data)}
}

const (
	schemaPath       = "/api/v2/schema/openapi"
	nativeSchemaPath = "/api/v2/schema/native"
)

// nginx404 is what the firewall's web server answers for a URL that is no API endpoint.
const nginx404 = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"

// ServeHTTP runs the REST API's pipeline (Core/Endpoint.inc process_request).
func (sim *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if len(path) > 1 && strings.HasSuffix(path, "/") {
		path = strings.TrimSuffix(path, "/")
	}
	// The schemas are static files: no authentication, no envelope (docs/NATIVE_SCHEMA.md).
	switch path {
	case schemaPath:
		w.Header().Set("Content-Type", "application/json")
		w.Write(sim.spec)
		return
	case nativeSchemaPath:
		w.Header().Set("Content-Type", "application/json")
		w.Write(sim.native)
		return
	}
	rt := sim.routes[path]
	if rt == nil {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(nginx404))
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
	if rt.path == graphqlPath {
		ans = sim.graphqlAnswer(ans)
	} else if rt.path != schemaPath && sim.hateoas() {
		ans = withRootLinks(ans, req)
	}
	if writes {
		sim.mu.Unlock()
	} else {
		sim.mu.RUnlock()
	}
	if req.authLog != "" {
		sim.mu.Lock()
		// pfSense's auth log is a rotated file: the oldest lines go (bounded here too, so a
		// flood of failed logins cannot grow the simulator without end).
		l := append(sim.st.Lists["AuthLog"], map[string]any{"text": req.authLog})
		if len(l) > maxAuthLog {
			l = append([]map[string]any(nil), l[len(l)-maxAuthLog:]...)
		}
		sim.st.Lists["AuthLog"] = l
		sim.mu.Unlock()
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
	// Core/Endpoint.inc process_request: anything uncaught becomes a 500.
	defer func() {
		if p := recover(); p != nil {
			sim.log.Error("unexpected error", "path", rt.path, "panic", p)
			ans = errorAnswer(errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "%v", p))
		}
	}()
	r := req.r
	settings := sim.st.Singles["RESTAPISettings"]
	op := rt.ops[r.Method]
	// check_enabled (the settings sync endpoint ignores it: Endpoints/SystemRESTAPISettingsSyncEndpoint.inc).
	if enabled, ok := settings["enabled"].(bool); ok && !enabled && !ignoresSettings(rt) {
		return errorAnswer(errf(503, "ENDPOINT_REST_API_IS_NOT_ENABLED", "The REST API is currently not enabled."))
	}
	if !ignoresSettings(rt) {
		if e := sim.checkInterfaceAllowed(r, settings); e != nil {
			return errorAnswer(e)
		}
	}
	if r.Method == http.MethodOptions {
		// check_auth gives an OPTIONS request an Auth without a user, and check_acl passes its
		// null username to RESTAPIAccessListEntry::is_allowed_by_acl(string $username): a
		// TypeError the endpoint answers as a 500 (Core/Endpoint.inc check_auth, check_acl).
		return errorAnswer(errf(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR",
			"RESTAPI\\Models\\RESTAPIAccessListEntry::is_allowed_by_acl(): Argument #2 ($username) must be of type string, null given"))
	}
	if e := sim.authenticate(req, rt, op, settings); e != nil {
		return errorAnswer(e.apiError).withHeader(e.challenge)
	}
	if !sim.allowedByACL(clientIP(r), req.user) {
		return errorAnswer(errf(403, "ENDPOINT_CLIENT_NOT_ALLOWED_BY_ACL", "The requested action is not allowed by admin policy"))
	}
	enc, e := encodeHandler(r.Header.Get("Accept"))
	if e != nil {
		return errorAnswer(e)
	}
	if e := checkEncoder(rt, enc); e != nil {
		return errorAnswer(e)
	}
	req.encoder = enc
	if op == nil {
		return errorAnswer(errf(405, "ENDPOINT_METHOD_NOT_ALLOWED",
			"Resource at %s does not support the requested HTTP method '%s'", rt.path, r.Method))
	}
	if ro, _ := settings["read_only"].(bool); ro && r.Method != http.MethodGet && !ignoresSettings(rt) {
		return errorAnswer(errf(405, "ENDPOINT_METHOD_NOT_ALLOWED_IN_READ_ONLY_MODE",
			"Resource at %s cannot support the requested HTTP method `%s` because the REST API is currently in read-only mode.", rt.path, r.Method))
	}
	req.op, req.m = op, op.model
	if e := sim.decodeInput(req); e != nil {
		return errorAnswer(e)
	}
	sim.representIn(req)
	if !req.m.native() {
		// Without the package's model rules the simulator checks packages up front.
		if e := sim.requirePackages(op); e != nil {
			return errorAnswer(e)
		}
	}
	data, e := sim.dispatch(req)
	if e != nil {
		return errorAnswer(e)
	}
	sim.recordRevision(req)
	if req.rawType != "" {
		if req.rawBody != nil {
			data = req.rawBody
		}
		return answer{code: 200, body: data, ctype: req.rawType,
			header: "Content-Disposition", value: `attachment; filename="` + req.rawName + `"`}
	}
	if req.encoder == mimeBinary {
		// ContentHandlers/BinaryContentHandler.inc: only binary downloads can be encoded so.
		return errorAnswer(errf(406, "BINARY_CONTENT_HANDLER_RESOURCE_NOT_SUPPORTED", "The requested resource cannot be encoded as a binary file."))
	}
	if op.Model == "GraphQL" {
		return answer{code: 200, body: data}
	}
	return success(data)
}

func (a answer) withHeader(h string) answer {
	if h != "" {
		a.header, a.value, _ = strings.Cut(h, ": ")
	}
	return a
}

func ignoresSettings(rt *route) bool { return rt.path == "/api/v2/system/restapi/settings/sync" }

// checkEncoder applies an endpoint's own encoder list (Endpoint::$encode_content_handlers):
// the PKCS#12 export only downloads binary, the OpenVPN client export binary or JSON.
func checkEncoder(rt *route, enc string) *apiError {
	var allowed []string
	for _, op := range rt.ops {
		switch op.Model {
		case "CertificatePKCS12Export":
			allowed = []string{mimeBinary}
		case "OpenVPNClientExport":
			allowed = []string{mimeBinary, mimeJSON}
		}
	}
	if allowed == nil {
		return nil
	}
	for _, a := range allowed {
		if a == enc {
			return nil
		}
	}
	return errf(406, "ENDPOINT_ACCEPT_NOT_SUPPORTED", "The requested Accept value '%s' is not supported by this endpoint.", enc)
}

// decodeInput reads the request data with the content handler the request asks for, then
// checks the control parameters (Endpoint::check_request_data, validate_endpoint_fields).
func (sim *Simulator) decodeInput(req *request) *apiError {
	r := req.r
	handler, e := decodeHandler(r.Method, r.Header.Get("Content-Type"))
	if e != nil {
		return e
	}
	var d requestData
	if handler == mimeJSON {
		d, e = decodeJSONRequest(readBody(r))
		if e != nil {
			return e
		}
	} else {
		d = decodeFormRequest(r)
	}
	if r.Method == http.MethodPut && req.op.Plural && d.isAssoc() {
		return errf(400, "ENDPOINT_REQUEST_DATA_MUST_BE_INDEXED_ARRAY",
			"PUT requests to 'many' endpoints must contain an indexed array of objects to replace.")
	}
	if d.isObj {
		req.params, req.keys = d.obj, d.keys
		if req.params == nil {
			req.params = map[string]any{}
		}
		if r.Method == http.MethodPut && req.op.Plural {
			req.isList, req.list = true, []any{}
		}
	} else {
		req.isList, req.list = true, d.list
		req.params = map[string]any{}
	}
	return sim.readControls(req)
}

// readControls is Endpoint::validate_endpoint_fields: each control parameter given (and not
// null) must have its PHP type exactly, and is then removed from the request data. apply,
// all and placement are read where they are used and stay in the data, so they also act as
// (ignored) filters.
func (sim *Simulator) readControls(req *request) *apiError {
	p := req.params
	c := &req.ctl
	c.async, c.sortOrder = true, "SORT_ASC"
	take := func(name string) (any, bool) {
		v, ok := p[name]
		if !ok || v == nil {
			return nil, false
		}
		delete(p, name)
		return v, true
	}
	boolean := func(name string, dst *bool) *apiError {
		v, ok := take(name)
		if !ok {
			return nil
		}
		b, isBool := v.(bool)
		if !isBool {
			return errf(400, "ENDPOINT_"+strings.ToUpper(name)+"_FIELD_INVALID_TYPE", "Field `%s` must be of type `boolean`.", name)
		}
		*dst = b
		return nil
	}
	integer := func(name string, dst *int64) *apiError {
		v, ok := take(name)
		if !ok {
			return nil
		}
		i, isInt := v.(int64)
		if !isInt {
			return errf(400, "ENDPOINT_"+strings.ToUpper(name)+"_FIELD_INVALID_TYPE", "Field `%s` must be of type `integer`.", name)
		}
		*dst = i
		return nil
	}
	if e := boolean("async", &c.async); e != nil {
		return e
	}
	if e := boolean("reverse", &c.reverse); e != nil {
		return e
	}
	if v, ok := take("sort_by"); ok {
		list, isList := v.([]any)
		if !isList {
			list = []any{v}
		}
		for _, it := range list {
			s, isStr := it.(string)
			if !isStr {
				return errf(400, "ENDPOINT_SORT_BY_FIELD_INVALID_TYPE", "Field `sort_by` must be of type `string`.")
			}
			if req.m.schema.Prop(s) == nil {
				return errf(400, "ENDPOINT_SORT_BY_FIELD_NON_EXISTENT_FIELD", "Field `sort_by` must be a valid field in the Model.")
			}
			c.sortBy = append(c.sortBy, s)
		}
	}
	if v, ok := take("sort_order"); ok {
		s, isStr := v.(string)
		if !isStr {
			return errf(400, "ENDPOINT_SORT_ORDER_FIELD_INVALID_TYPE", "Field `sort_order` must be of type `string`.")
		}
		if s != "SORT_ASC" && s != "SORT_DESC" {
			return errf(400, "ENDPOINT_SORT_ORDER_FIELD_UNKNOWN_SORT_ORDER", "Field `sort_order` must be one of: ['SORT_ASC', 'SORT_DESC'].")
		}
		c.sortOrder = s
	}
	if v, ok := take("sort_flags"); ok {
		s, isStr := v.(string)
		if !isStr {
			return errf(400, "ENDPOINT_SORT_FLAGS_FIELD_INVALID_TYPE", "Field `sort_flags` must be of type `string`.")
		}
		switch s {
		case "SORT_REGULAR", "SORT_NUMERIC", "SORT_STRING", "SORT_LOCALE_STRING", "SORT_NATURAL", "SORT_FLAG_CASE":
		default:
			return errf(400, "ENDPOINT_SORT_FLAGS_FIELD_UNKNOWN_SORT_FLAGS",
				`Field `+"`sort_flags`"+` must be one of: ["SORT_REGULAR","SORT_NUMERIC","SORT_STRING","SORT_LOCALE_STRING","SORT_NATURAL","SORT_FLAG_CASE"]`)
		}
		c.sortFlags = s
	}
	if e := boolean("append", &c.append); e != nil {
		return e
	}
	if e := boolean("remove", &c.remove); e != nil {
		return e
	}
	if e := integer("limit", &c.limit); e != nil {
		return e
	}
	if e := integer("offset", &c.offset); e != nil {
		return e
	}
	if sim.core.dryRun {
		if e := boolean("dry_run", &c.dryRun); e != nil {
			return e
		}
		// The Prefer header can turn dry-run on, never off (Endpoint::validate_dry_run).
		for _, tok := range strings.Split(strings.ToLower(req.r.Header.Get("Prefer")), ",") {
			if strings.TrimSpace(tok) == "dry-run" {
				c.dryRun = true
			}
		}
		if c.dryRun && req.r.Method == http.MethodGet {
			return errf(400, "ENDPOINT_DRY_RUN_NOT_SUPPORTED_ON_GET", "The `dry_run` parameter is not supported on GET requests.")
		}
	}
	// Read where they are used, compared strictly with true (Endpoint::post/patch/delete).
	c.apply = p["apply"] == true
	c.all = p["all"] == true
	if v, ok := p["placement"]; ok && v != nil {
		c.placement, c.hasPlacement = v, true
	}
	keys := req.keys[:0:0]
	for _, k := range req.keys {
		if _, ok := p[k]; ok {
			keys = append(keys, k)
		}
	}
	req.keys = keys
	return nil
}

// requirePackages answers 424 when an endpoint needs a package that is not installed. Only
// used without the native schema; with it, packages are checked where Model::validate does.
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
	if op.Method == http.MethodGet || strings.HasSuffix(op.Path, "/apply") || req.ctl.dryRun {
		return
	}
	if !m.writable && !(op.Method == http.MethodPatch && !m.many) {
		return
	}
	verb := map[string]string{"POST": "Added", "PATCH": "Modified", "PUT": "Replaced all", "DELETE": "Deleted"}[op.Method]
	name := m.name
	if m.info != nil && m.info.VerboseName != "" {
		name = m.info.VerboseName
		if op.Method == http.MethodPut && m.info.VerbosePlural != "" {
			name = m.info.VerbosePlural
		}
	}
	// Core/Model.inc write_config: the note " <Verb> <verbose name> via API" (with its leading
	// space), written as the client: pfSense's make_config_revision_entry makes it
	// "user@address: " + note (config.lib.inc; no auth source without a GUI session).
	rev := map[string]any{
		"time":        sim.opts.Now().Unix(),
		"description": fmt.Sprintf("%s@%s:  %s %s via API", req.user, clientIP(req.r), verb, name),
		"version":     "24.0",
		"filesize":    int64(38000 + 211*len(sim.st.Lists["ConfigHistoryRevision"])),
	}
	prev := sim.st.Revision
	sim.st.Revision = rev
	if prev == nil {
		return
	}
	// write_config calls backup_config first: the config being replaced goes into the backup
	// cache, keyed by its revision time and read newest first (config.lib.inc get_backups);
	// cleanup_backupcache keeps default_config_backup_count (30, globals.inc) of them.
	revs := []map[string]any{prev}
	for _, r := range sim.st.Lists["ConfigHistoryRevision"] {
		if toInt(r["time"]) != toInt(prev["time"]) && len(revs) < configBackupCount {
			revs = append(revs, r)
		}
	}
	sim.st.Lists["ConfigHistoryRevision"] = revs
}

// configBackupCount is pfSense's default_config_backup_count (src/etc/inc/globals.inc).
const configBackupCount = 30

// allowedByACL is Core/Endpoint.inc check_acl (no v2.7.1 or v2.10.0 endpoint sets
// ignore_acl): Models/RESTAPIAccessListEntry.inc is_allowed_by_acl, the first entry in weight
// order whose network holds the client's address, whose users are empty or name the client,
// and whose schedule is empty or active decides; no match denies.
func (sim *Simulator) allowedByACL(ip, user string) bool {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, e := range sim.st.Lists["RESTAPIAccessListEntry"] {
		network, err := netip.ParsePrefix(strval(e["network"]))
		if err != nil || !network.Contains(addr) {
			continue
		}
		if users := listOf(e["users"]); len(users) > 0 && !inArray(user, users) {
			continue
		}
		if !sim.aclScheduleActive(strval(e["sched"])) {
			continue
		}
		return e["type"] == "allow"
	}
	return false
}

// aclScheduleActive is RESTAPIAccessListEntry::is_schedule_active: no schedule is always active,
// a schedule that no longer exists never is.
func (sim *Simulator) aclScheduleActive(name string) bool {
	if name == "" {
		return true
	}
	for _, s := range sim.st.Lists["FirewallSchedule"] {
		if strval(s["name"]) == name {
			return withScheduleActive(sim, s)["active"] == true
		}
	}
	return false
}

// checkInterfaceAllowed is Core/Endpoint.inc check_interface_allowed: with allowed_interfaces
// set, the address the call came in on must be one of theirs (current IPv4 or IPv6, or a
// virtual IP on them), or localhost with lo0 listed. It runs before authentication.
func (sim *Simulator) checkInterfaceAllowed(r *http.Request, settings map[string]any) *apiError {
	allowed := listOf(settings["allowed_interfaces"])
	if len(allowed) == 0 {
		return nil
	}
	server := sim.serverAddress(r)
	has := func(name string) bool {
		for _, a := range allowed {
			if strval(a) == name {
				return true
			}
		}
		return false
	}
	if (server == "::1" || server == "127.0.0.1" || server == "localhost") && has("lo0") {
		return nil
	}
	for _, st := range sim.st.Lists["InterfaceStats"] {
		name := strval(st["name"])
		if !has(name) {
			continue
		}
		if server == strval(st["ipaddr"]) || server == strval(st["ipaddrv6"]) {
			return nil
		}
		for _, v := range sim.st.Lists["VirtualIP"] {
			if strval(v["interface"]) == name && strval(v["subnet"]) == server {
				return nil
			}
		}
	}
	return errf(403, "ENDPOINT_INTERFACE_NOT_ALLOWED", "The requested action is not allowed by admin policy")
}

// serverAddress is $_SERVER['SERVER_ADDR']: the local address of the connection, or, for a
// request handed to the simulator in process, the address of the interface whose subnet holds
// the client (else localhost).
func (sim *Simulator) serverAddress(r *http.Request) string {
	if a, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		if host, _, err := net.SplitHostPort(a.String()); err == nil {
			return host
		}
	}
	client, err := netip.ParseAddr(clientIP(r))
	if err == nil {
		for _, st := range sim.st.Lists["InterfaceStats"] {
			base, err := netip.ParseAddr(strval(st["ipaddr"]))
			if err != nil {
				continue
			}
			if p, err := base.Prefix(int(toInt(st["subnet"]))); err == nil && p.Contains(client) {
				return base.String()
			}
		}
	}
	return "127.0.0.1"
}

func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
