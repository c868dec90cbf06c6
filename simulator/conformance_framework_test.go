package simulator_test

import (
	"encoding/json"
	"strconv"
	"testing"
)

// frameworkCases follow the package's tests of its framework classes (Core/Endpoint.inc's
// request pipeline and control parameters, Core/ModelSet.inc's queries and sorts, the query
// filters, the content handlers' MIME type handling, the Auth classes and authentication
// logging, and the Response classes' codes and status texts), translated into the requests an
// endpoint gets. The table's client is 192.168.1.100, on LAN, talking to the firewall's LAN
// address 192.168.1.1. HATEOAS (_links) is not covered here.
func frameworkCases() []ccase {
	t := func(file, method string) string { return "Tests/" + file + "TestCase.inc " + method }
	ep := "Core/Endpoint.inc "
	aliases := "/api/v2/firewall/aliases"
	alias := "/api/v2/firewall/alias"
	settings := "/api/v2/system/restapi/settings"
	authLog := "/api/v2/status/logs/auth"
	overrides := "/api/v2/services/dns_resolver/host_overrides"
	col := func(field, want string) func(t *testing.T, r result) {
		return func(t *testing.T, r result) { eq(t, field+"s", r.column(field), want) }
	}
	count := func(n int) func(t *testing.T, r result) {
		return func(t *testing.T, r result) {
			var l []any
			json.Unmarshal(r.env.Data, &l)
			if len(l) != n {
				t.Errorf("%d objects, want %d: %.300s", len(l), n, r.env.Data)
			}
		}
	}
	noChallenge := func(t *testing.T, r result) { eq(t, "WWW-Authenticate", r.header.Get("WWW-Authenticate"), `""`) }
	sortAliases := `[{"name":"alias_a","type":"host","descr":"127.0.0.22"},{"name":"alias_b","type":"host","descr":"127.0.0.2"},` +
		`{"name":"alias_c","type":"host","descr":"127.0.0.100"},{"name":"alias_d","type":"host","descr":"127.0.0.10"}]`
	fourAliases := `[{"name":"host_alias","type":"host"},{"name":"network_alias1","type":"network"},{"name":"network_alias2","type":"network"},{"name":"port_alias","type":"port"}]`
	// The nine host overrides of test_sort_multiple_fields, in a shuffled order.
	nineHosts := `[{"host":"b","domain":"c.example.com","ip":["127.3.0.1"]},{"host":"a","domain":"b.example.com","ip":["127.0.1.4"]},` +
		`{"host":"c","domain":"a.example.com","ip":["127.0.8.3"]},{"host":"a","domain":"c.example.com","ip":["127.0.4.2"]},` +
		`{"host":"b","domain":"a.example.com","ip":["127.35.0.2"]},{"host":"c","domain":"c.example.com","ip":["127.5.1.3"]},` +
		`{"host":"a","domain":"a.example.com","ip":["127.0.0.1"]},{"host":"c","domain":"b.example.com","ip":["127.3.3.3"]},` +
		`{"host":"b","domain":"b.example.com","ip":["127.5.1.7"]}]`
	hostDomain := func(want string) func(t *testing.T, r result) {
		return func(t *testing.T, r result) {
			var l []map[string]any
			json.Unmarshal(r.env.Data, &l)
			got := make([]any, len(l))
			for i, o := range l {
				got[i] = o["host"].(string) + "." + o["domain"].(string)[:1]
			}
			eq(t, "host.domain", got, want)
		}
	}
	// A JWT a step obtains is sent by later steps: the header slice is shared by the steps
	// (run copies the steps, not their header arrays).
	bearer := []string{"Authorization: BEARER none-yet"}
	saveToken := func(t *testing.T, r result) {
		tok, _ := r.field("token").(string)
		if tok == "" {
			t.Fatalf("no token: %.300s", r.raw)
		}
		bearer[0] = "Authorization: BEARER " + tok
	}
	withToken := func(s step) step { s.auth, s.headers = "none", bearer; return s }
	options := func(path string) step { return step{method: "OPTIONS", path: path} }
	getBody := func(path, body string) step { return step{method: "GET", path: path, body: body} }
	status := func(code int, text string) string {
		b, _ := json.Marshal(text)
		return `"code":` + strconv.Itoa(code) + `,"status":` + string(b) + `,`
	}

	return []ccase{
		// Query filters, through ModelSet::query.
		{area: "query", name: "exact and except compare a list field as a whole", src: "QueryFilters/ExactQueryFilter.inc evaluate (==) ; QueryFilters/ExceptQueryFilter.inc evaluate (!=)", test: t("APIQueryFiltersExactQueryFilter", "test_evaluate ; ") + t("APIQueryFiltersExceptQueryFilter", "test_evaluate"),
			note: "PHP's array == string is false, so `?address=10.0.4.10` finds nothing (contains is the membership filter) and `address__except` matches every alias; a list value is compared with the whole list",
			steps: []step{get(aliases + "?address=10.0.4.10").then(count(0)),
				get(aliases + "?address[]=10.0.4.10&address[]=10.0.4.11").then(col("name", `["web_servers"]`)),
				get(aliases + "?address__except=10.0.4.10").then(col("name", `["web_servers","admin_nets","web_ports"]`))}},
		{area: "query", name: "regex on a list field is a 500: preg_match gets an array", src: "QueryFilters/RegexQueryFilter.inc evaluate (preg_match($filter_value, $field_value)) ; " + ep + "process_request (Error -> ServerError)", test: t("APIQueryFiltersRegexQueryFilter", "test_evaluate"),
			note:  "the test tries strings only; preg_match's subject is typed string, so an array is a TypeError, which process_request answers as ENDPOINT_RECEIVED_UNEXPECTED_ERROR (the message is the PHP error and trace)",
			steps: []step{get(aliases+"?address__regex=/^10/").is(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "")}},
		{area: "query", name: "format checks the kind of value named; an unknown kind matches nothing", src: "QueryFilters/FormatQueryFilter.inc evaluate (match, default false)", test: t("APIQueryFiltersFormatQueryFilter", "test_evaluate"),
			steps: []step{get("/api/v2/services/dhcp_server/static_mappings?mac__format=mac").then(count(1)),
				get("/api/v2/services/dhcp_server/static_mappings?hostname__format=mac").then(count(0)),
				get("/api/v2/routing/static_routes?network__format=subnetv4").then(count(1)),
				get("/api/v2/routing/static_routes?network__format=subnetv6").then(count(0)),
				get("/api/v2/firewall/nat/port_forwards?local_port__format=port").then(count(1)),
				get("/api/v2/firewall/nat/port_forwards?destination__format=ip").then(count(0)),
				get(aliases + "?name__format=bogus").then(count(0))}},
		{area: "query", name: "startswith and endswith on a string compare its ends", src: "QueryFilters/StartsWithQueryFilter.inc evaluate (str_starts_with) ; QueryFilters/EndsWithQueryFilter.inc evaluate (str_ends_with)", test: t("APIQueryFiltersStartsWithQueryFilter", "test_evaluate ; ") + t("APIQueryFiltersEndsWithQueryFilter", "test_evaluate ; ") + t("APICoreModelSet", "test_query_startswith ; test_query_endswith"),
			steps: []step{get(aliases + "?name__startswith=web").then(col("name", `["web_servers","web_ports"]`)),
				get(aliases + "?name__startswith=servers").then(count(0)),
				get(aliases + "?name__endswith=_nets").then(col("name", `["admin_nets"]`)),
				get(aliases + "?descr__endswith=HTTPS").then(col("name", `["web_ports"]`))}},
		{area: "query", name: "__exact names the default filter", src: "Core/ModelSet.inc get_query_options (filter exact by default)", test: t("APICoreModelSet", "test_query_exact_match"),
			steps: []step{get(aliases + "?name__exact=web_ports").then(col("name", `["web_ports"]`)),
				get("/api/v2/firewall/rules?log__exact=true").then(col("descr", `["NAT Allow web to DMZ","Block DMZ to LAN"]`))}},

		// Control parameters: sorting, reverse.
		{area: "controls", name: "sort_flags SORT_NATURAL orders the numbers inside strings", src: ep + "validate_sort_flags, get (constant(sort_flags)) ; Core/ModelSet.inc sort (array_multisort)", test: t("APICoreEndpoint", "test_sort_flags"),
			steps: []step{put(aliases, sortAliases),
				get(aliases + "?sort_by=descr&sort_flags=SORT_NATURAL").then(func(t *testing.T, r result) {
					eq(t, "names", r.column("name"), `["alias_b","alias_d","alias_a","alias_c"]`)
					eq(t, "ids", r.column("id"), `[1,3,0,2]`)
				})}},
		{area: "controls", name: "without sort_flags, sort_by compares strings as strings", src: "Core/Model.inc $sort_flags (SORT_REGULAR) ; " + ep + "get (model sort_flags when none is given)", test: t("APICoreModelSet", "test_sort_flags"),
			note: "SORT_REGULAR compares non-numeric strings byte by byte, so 127.0.0.100 comes before 127.0.0.22",
			steps: []step{put(aliases, `[{"name":"alias_a","type":"host","descr":"127.0.0.22"},{"name":"alias_b","type":"host","descr":"127.0.0.200"},{"name":"alias_c","type":"host","descr":"127.0.0.100"}]`),
				get(aliases + "?sort_by=descr").then(col("name", `["alias_c","alias_b","alias_a"]`)),
				get(aliases + "?sort_by=descr&sort_flags=SORT_REGULAR").then(col("name", `["alias_c","alias_b","alias_a"]`)),
				get(aliases + "?sort_by=descr&sort_flags=SORT_NATURAL").then(col("name", `["alias_a","alias_c","alias_b"]`))}},
		{area: "controls", name: "sort_by takes several fields, the first deciding and sort_order applying to all", src: ep + "validate_sort_by (a list of field names) ; Core/ModelSet.inc sort (one array_multisort column per field)", test: t("APICoreModelSet", "test_sort_multiple_fields"),
			note: "host overrides are stored sorted by host (Models/DNSResolverHostOverride.inc sort_by), so only the explicit sorts are checked",
			steps: []step{put(overrides, nineHosts),
				get(overrides + "?sort_by[]=host&sort_by[]=domain").then(hostDomain(`["a.a","a.b","a.c","b.a","b.b","b.c","c.a","c.b","c.c"]`)),
				get(overrides + "?sort_by[]=domain&sort_by[]=host&sort_order=SORT_DESC").then(hostDomain(`["c.c","b.c","a.c","c.b","b.b","a.b","c.a","b.a","a.a"]`)),
				getBody(overrides, `{"sort_by":["host","domain"]}`).then(hostDomain(`["a.a","a.b","a.c","b.a","b.b","b.c","c.a","c.b","c.c"]`))}},
		{area: "controls", name: "reverse in a JSON GET body reverses the list and keeps the ids", src: ep + "validate_reverse ; Core/Model.inc read_all (array_reverse preserve_keys) ; Core/ModelSet.inc reverse", test: t("APICoreEndpoint", "test_reverse ; ") + t("APICoreModelSet", "test_reverse"),
			steps: []step{put(aliases, fourAliases),
				get(aliases).then(col("id", `[0,1,2,3]`)),
				getBody(aliases, `{"reverse":true}`).then(func(t *testing.T, r result) {
					eq(t, "ids", r.column("id"), `[3,2,1,0]`)
					eq(t, "names", r.column("name"), `["port_alias","network_alias2","network_alias1","host_alias"]`)
				})}},

		// Plural DELETE.
		{area: "crud", name: "a plural DELETE answers the deleted objects in list order and renumbers the rest", src: "Core/Model.inc delete_many ; Core/ModelSet.inc delete (deletes from the last, returns the set)", test: t("APICoreEndpoint", "test_delete_many_e2e ; ") + t("APICoreModelSet", "test_delete_many"),
			steps: []step{put(aliases, fourAliases),
				del(aliases + "?type=network").hdr("Content-Type: application/x-www-form-urlencoded").then(col("name", `["network_alias1","network_alias2"]`)),
				get(aliases).then(func(t *testing.T, r result) {
					eq(t, "names", r.column("name"), `["host_alias","port_alias"]`)
					eq(t, "ids", r.column("id"), `[0,1]`)
				})}},

		// The request pipeline (Endpoint::process_request).
		{area: "envelope", name: "OPTIONS skips authentication and then fails the access list check with a 500", src: ep + "check_auth (OPTIONS: new Auth(), username null), check_acl ; Models/RESTAPIAccessListEntry.inc is_allowed_by_acl(string $ip, string $username)", test: t("APICoreEndpoint", "test_check_auth ; test_check_request_method"),
			note: "the test only asserts that OPTIONS is not ENDPOINT_METHOD_NOT_ALLOWED; an unauthenticated Auth has a null username, which the string parameter refuses with a TypeError, answered as a ServerError; the same in v2.10.0",
			steps: []step{options(aliases).as("none").is(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", ""),
				options(aliases).is(500, "ENDPOINT_RECEIVED_UNEXPECTED_ERROR", "")}},
		{area: "envelope", name: "the checks run in order: authentication, Accept, method, then the body", src: ep + "process_request (check_auth, check_acl, get_encode_handler, check_request_method, check_request_data)", test: t("APICoreEndpoint", "test_check_request_data ; test_check_auth"),
			note: "the tests note that the method and data checks run after authentication; each step has two faults and the earlier check answers",
			steps: []step{get(aliases).as("basic:admin:wrong").hdr("Accept: text/html").is(401, "AUTH_AUTHENTICATION_FAILED", ""),
				put(alias, `{}`).hdr("Accept: text/html").is(406, "CONTENT_HANDLER_ENCODE_NOT_FOUND", ""),
				put(alias, `{"name":`).is(405, "ENDPOINT_METHOD_NOT_ALLOWED", ""),
				post("/api/v2/system/version", `x`).hdr("Content-Type: text/plain").is(405, "ENDPOINT_METHOD_NOT_ALLOWED", "")}},
		{area: "envelope", name: "allowed_interfaces without the client's interface refuses every call, before authentication", src: ep + "check_interface_allowed (SERVER_ADDR against each allowed interface's address and virtual IPs)", test: t("APICoreEndpoint", "test_check_interface_allowed"),
			note: "the client reaches the firewall at LAN's 192.168.1.1; the check runs before authentication, and the settings endpoint does not ignore it, so the API locks itself out",
			steps: []step{patch(settings, `{"allowed_interfaces":["wan"]}`).sub(`{"allowed_interfaces":["wan"]}`),
				get(aliases).is(403, "ENDPOINT_INTERFACE_NOT_ALLOWED", "The requested action is not allowed by admin policy"),
				get(aliases).as("none").is(403, "ENDPOINT_INTERFACE_NOT_ALLOWED", ""),
				patch(settings, `{"allowed_interfaces":[]}`).is(403, "ENDPOINT_INTERFACE_NOT_ALLOWED", "")}},
		{area: "envelope", name: "allowed_interfaces naming the client's interface lets calls through", src: ep + "check_interface_allowed (get_current_ipv4)", test: t("APICoreEndpoint", "test_check_interface_allowed"),
			note: "the client reaches the firewall at LAN's 192.168.1.1",
			steps: []step{patch(settings, `{"allowed_interfaces":["lan"]}`), get(aliases),
				patch(settings, `{"allowed_interfaces":["opt1","lan"]}`), get(aliases)}},
		{area: "envelope", name: "allowed_interfaces lo0 alone admits only calls to a localhost address", src: ep + "check_interface_allowed (lo0 matches SERVER_ADDR ::1, 127.0.0.1, localhost)", test: t("APICoreEndpoint", "test_check_interface_allowed"),
			note: "the client reaches the firewall at LAN's 192.168.1.1, not at 127.0.0.1",
			steps: []step{patch(settings, `{"allowed_interfaces":["lo0"]}`),
				get(aliases).is(403, "ENDPOINT_INTERFACE_NOT_ALLOWED", "The requested action is not allowed by admin policy")}},

		// Content handlers.
		{area: "content", name: "the Content-Type is matched without case and without parameters", src: "Core/ContentHandler.inc get_decode_mime_type (strtolower, strstr before ;)", test: t("APICoreContentHandler", "test_get_decode_mime_type"),
			steps: []step{post(alias, `{"name":"bt_upper","type":"host"}`).hdr("Content-Type: APPLICATION/JSON").sub(`{"name":"bt_upper"}`),
				post(alias, `{"name":"bt_charset","type":"host"}`).hdr("Content-Type: application/json; charset=utf-8").sub(`{"name":"bt_charset"}`)}},
		{area: "content", name: "without a Content-Type a POST body is JSON, but a DELETE reads the query string", src: "Core/ContentHandler.inc get_decode_mime_type (default by method)", test: t("APICoreContentHandler", "test_get_decode_mime_type"),
			note: "GET and DELETE default to application/x-www-form-urlencoded, which reads the query string and ignores the body",
			steps: []step{post(alias, `{"name":"bt_nohdr","type":"host"}`).hdr("Content-Type: ").sub(`{"name":"bt_nohdr"}`),
				delBody(alias, `{"id":0}`).hdr("Content-Type: ").is(400, "MODEL_REQUIRES_ID", "Field `id` is required.")}},

		// Authentication.
		{area: "auth", name: "a JWT authenticates as a bearer token once JWTAuth is enabled; the scheme is case-insensitive", src: "Auth/JWTAuth.inc _authenticate ; Core/Auth.inc get_auth_key (strtolower), attempt_multi_auth", test: t("APIAuthJWTAuth", "test_authenticate ; ") + t("APICoreAuth", "test_get_auth_key"),
			note: "auth_methods defaults to BasicAuth only; a bad token is a 401 without the BasicAuth challenge",
			steps: []step{post("/api/v2/auth/jwt", ``).hdr("Content-Type: application/json").then(saveToken),
				withToken(get(aliases)).is(401, "AUTH_AUTHENTICATION_FAILED", "").then(noChallenge),
				patch(settings, `{"auth_methods":["BasicAuth","JWTAuth"]}`),
				withToken(get(aliases)).then(col("name", `["web_servers","admin_nets","web_ports"]`)),
				get(aliases).as("bearer:badtoken").is(401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.").then(noChallenge)}},
		{area: "auth", name: "a call without credentials is logged as user unknown", src: "Core/Auth.inc attempt_multi_auth (no Auth class requested: new Auth()->log_authentication)", test: t("APICoreAuth", "test_auth_is_logged ; test_construct_obtains_ip_address_from_client"),
			note: "the test logs a failed BasicAuth; with no credentials at all the username is `unknown`",
			steps: []step{get(aliases).as("none").is(401, "AUTH_AUTHENTICATION_FAILED", ""),
				get(authLog).has(`webConfigurator authentication error for user 'unknown' from: 192.168.1.100`)}},
		{area: "auth", name: "with login_protection off a failed login is not logged", src: "Core/Auth.inc log_authentication (login_protection)", test: t("APICoreAuth", "test_auth_is_logged"),
			steps: []step{patch(settings, `{"login_protection":false}`),
				get(aliases).as("basic:bob:wrong").is(401, "AUTH_AUTHENTICATION_FAILED", ""),
				get(authLog).not(`for user 'bob'`)}},
		{area: "auth", name: "log_successful_auth logs each successful login with the client's address", src: "Core/Auth.inc log_authentication (log_successful_auth)", test: t("APICoreAuth", "test_auth_is_logged"),
			note: "the settings are read when the call authenticates, so the PATCH that enables the logging is not logged itself",
			steps: []step{patch(settings, `{"log_successful_auth":true}`),
				get("/api/v2/system/version"),
				get(authLog).has(`system\/version\/index.php: Successful login for user 'admin' from: 192.168.1.100 (Local Database)`).
					not(`restapi\/settings\/index.php: Successful login`)}},

		// Response classes: each answers its HTTP code and Core/Response.inc's status text.
		{area: "envelope", name: "AuthenticationError is 401 unauthorized", src: "Responses/AuthenticationError.inc ; Core/Response.inc HTTP_STATUS_MESSAGES", test: t("APIResponsesAuthenticationError", "test_authentication_error_throwable"),
			steps: []step{get(aliases).as("none").is(401, "AUTH_AUTHENTICATION_FAILED", "").has(status(401, "unauthorized"))}},
		{area: "envelope", name: "ForbiddenError is 403 forbidden", src: "Responses/ForbiddenError.inc ; Core/Auth.inc attempt_multi_auth", test: t("APIResponsesForbiddenError", "test_forbidden_error_throwable"),
			steps: []step{post("/api/v2/user", `{"name":"bt_viewer","password":"pw"}`),
				get(aliases).as("basic:bt_viewer:pw").is(403, "AUTH_AUTHORIZATION_FAILED", "").has(status(403, "forbidden"))}},
		{area: "envelope", name: "ValidationError is 400 bad request", src: "Responses/ValidationError.inc ; Core/Field.inc validate (required)", test: t("APIResponsesValidationError", "test_validation_error_throwable"),
			steps: []step{post(alias, `{"type":"host"}`).is(400, "FIELD_IS_REQUIRED", "Field `name` is required.").has(status(400, "bad request"))}},
		{area: "envelope", name: "MethodNotAllowedError is 405 method not allowed", src: "Responses/MethodNotAllowedError.inc ; " + ep + "check_request_method", test: t("APIResponsesMethodNotAllowedError", "test_method_not_allowed_error_throwable"),
			steps: []step{put(alias, `{}`).is(405, "ENDPOINT_METHOD_NOT_ALLOWED", "").has(status(405, "method not allowed"))}},
		{area: "envelope", name: "NotAcceptableError is 406 not acceptable", src: "Responses/NotAcceptableError.inc ; Core/ContentHandler.inc get_encode_handler", test: t("APIResponsesNotAcceptableError", "test_not_found_error_throwable"),
			note:  "the test method in the NotAcceptableError file is named test_not_found_error_throwable; it asserts code 406",
			steps: []step{get(aliases).hdr("Accept: text/html").is(406, "CONTENT_HANDLER_ENCODE_NOT_FOUND", "").has(status(406, "not acceptable"))}},
		{area: "envelope", name: "ConflictError is 409 conflict", src: "Responses/ConflictError.inc ; Core/Model.inc delete (MODEL_CANNOT_BE_DELETED_WHILE_REFERENCED)", test: t("APIResponsesConflictError", "test_conflict_error_throwable"),
			note:  "gateway 1 (DMZ_GW) is used by the seeded static route",
			steps: []step{del("/api/v2/routing/gateway?id=1").is(409, "MODEL_CANNOT_BE_DELETED_WHILE_REFERENCED", "").has(status(409, "conflict"))}},
		{area: "envelope", name: "MediaTypeError is 415 unsupported media type", src: "Responses/MediaTypeError.inc ; Core/ContentHandler.inc get_decode_handler", test: t("APIResponsesMediaTypeError", "test_media_type_error_throwable"),
			steps: []step{post(alias, `x`).hdr("Content-Type: text/plain").is(415, "CONTENT_HANDLER_DECODE_NOT_FOUND", "").has(status(415, "unsupported media type"))}},
		{area: "envelope", name: "UnprocessableContentError is 422 with the status text unprocessable entity", src: "Responses/UnprocessableContentError.inc ; Core/Response.inc HTTP_STATUS_MESSAGES (422) ; Models/UserGroup.inc validate_scope", test: t("APIResponsesUnprocessableContentError", "test_unprocessable_content_error_throwable"),
			note:  "the class is named after RFC 9110's wording, the status text is the older `unprocessable entity`",
			steps: []step{post("/api/v2/user/group", `{"name":"bt_g","scope":"system"}`).is(422, "USER_GROUP_SCOPE_CANNOT_BE_SET_TO_SYSTEM", "").has(status(422, "unprocessable entity"))}},
		{area: "envelope", name: "ServerError is 500 internal server error", src: "Responses/ServerError.inc ; Core/Model.inc get_config_path", test: t("APIResponsesServerError", "test_server_error_throwable"),
			steps: []step{get("/api/v2/services/dhcp_server/static_mapping?id=0").is(500, "MODEL_CANNOT_GET_CONFIG_PATH_WITHOUT_PARENT_MODEL", "").has(status(500, "internal server error"))}},
	}
}
