package simulator_test

import (
	"strings"
	"testing"

	"github.com/pfsense-mcp/pfsense-mcp/simulator"
)

const (
	aliasURL   = "/api/v2/firewall/alias"
	aliasesURL = "/api/v2/firewall/aliases"
	ruleURL    = "/api/v2/firewall/rule"
	rulesURL   = "/api/v2/firewall/rules"
	ccKey      = "0123456789abcdef0123456789abcdef0123456789abcdef"
)

// Tests/ and source file names, as the package names them (RESTAPI/...).
const (
	tEndpoint = "Tests/APICoreEndpointTestCase.inc "
	tModel    = "Tests/APICoreModelTestCase.inc "
	tField    = "Tests/APICoreFieldTestCase.inc "
	tAuth     = "Tests/APICoreAuthTestCase.inc "
	tModelSet = "Tests/APICoreModelSetTestCase.inc "
	tResponse = "Tests/APICoreResponseTestCase.inc "
)

func conformanceCases(t *testing.T) []ccase {
	nat := nativeSchema(t)
	if nat.Empty() {
		t.Skip("this build has no native schema: the simulator follows the spec alone and the conformance table does not apply")
	}
	v10 := atLeast(nat.Version, 2, 10)
	var cs []ccase
	add := func(c ...ccase) { cs = append(cs, c...) }
	add(envelopeCases()...)
	add(contentCases()...)
	add(authCases(v10)...)
	add(controlCases(v10)...)
	add(queryCases()...)
	add(crudCases()...)
	add(fieldCases(v10)...)
	add(validatorCases(v10)...)
	add(relationCases()...)
	add(applyCases()...)
	add(sensitiveCases()...)
	add(modelCases(nat.Version)...)
	add(scheduleCases()...)
	add(routingCases()...)
	add(dhcpCases()...)
	add(serviceCases()...)
	add(interfaceCases()...)
	add(deviceCases()...)
	add(systemCases()...)
	add(groundTruthCases()...)
	add(systemSvcCases()...)
	add(vpnPkgCases()...)
	add(freeradiusV10Cases(v10)...)
	add(coreApiCases()...)
	add(coreApiVersionCases(v10)...)
	add(fwIfaceCases()...)
	add(fwIfaceCasesV10(v10)...)
	add(vpnCoreCases()...)
	add(vpnCoreCasesV10(v10)...)
	add(dhcpUsersCases()...)
	add(dhcpUsersCasesV10(v10)...)
	add(graphqlCases()...)
	add(netCases()...)
	add(netCasesV10(v10)...)
	add(frameworkCases()...)
	add(svcCases()...)
	add(svcCasesV10(v10)...)
	add(fieldsCases()...)
	add(fieldsCasesV10(v10)...)
	add(vpnCases()...)
	add(vpnCasesV10(v10)...)
	return cs
}

func atLeast(v string, major, minor int) bool {
	var a, b, c int
	if _, err := sscanVersion(v, &a, &b, &c); err != nil {
		return false
	}
	return a > major || (a == major && b >= minor)
}

// atLeastPatch compares a version with major.minor.patch.
func atLeastPatch(v string, major, minor, patch int) bool {
	var a, b, c int
	if _, err := sscanVersion(v, &a, &b, &c); err != nil {
		return false
	}
	if a != major {
		return a > major
	}
	if b != minor {
		return b > minor
	}
	return c >= patch
}

func envelopeCases() []ccase {
	src := "Core/Response.inc __construct, to_representation"
	return []ccase{
		{area: "envelope", name: "success is 200 SUCCESS with an empty message", src: src, test: "Tests/APIResponsesSuccessTestCase.inc test_success_throwable ; " + tResponse + "test_response_to_representation",
			steps: []step{get("/api/v2/system/version").has(`{"code":200,"status":"ok","response_id":"SUCCESS","message":"","data":{`)}},
		{area: "envelope", name: "a create answers 200, not 201, with the new id", src: "Core/Endpoint.inc process_request (Success)", test: tEndpoint + "test_process_request",
			steps: []step{post(aliasURL, `{"name":"bt_new","type":"host","address":["192.0.2.1"]}`).has(`"id":3,`)}},
		{area: "envelope", name: "quotes in messages become backticks", src: src, note: "no package test covers this: no Response test gives a message with quotes",
			steps: []step{get(aliasURL+"?id=9").is(404, "MODEL_OBJECT_NOT_FOUND", "Object with ID `9` does not exist.")}},
		{area: "envelope", name: "error data is an empty list", src: src, note: "no package test covers this: the Response tests always pass data, so the empty-list default is not checked",
			steps: []step{get(aliasURL+"?id=9").is(404, "MODEL_OBJECT_NOT_FOUND", "").has(`"data":[]}`)}},
		{area: "envelope", name: "slashes are escaped as PHP's json_encode does", src: "ContentHandlers/JSONContentHandler.inc _encode (json_encode)", test: "Tests/APIContentHandlersJSONContentHandlerTestCase.inc test_encode",
			steps: []step{get(aliasesURL).has(`"192.168.1.0\/24"`)}},
		{area: "envelope", name: "status is the lowercase reason phrase", src: "Core/Response.inc HTTP_STATUS_MESSAGES", test: tResponse + "test_get_http_status_message",
			steps: []step{get(aliasesURL+"?name__bogus=x").is(404, "QUERY_FILTER_NOT_FOUND", "").has(`"code":404,"status":"not found"`)}},
		{area: "envelope", name: "an unknown URL is nginx's plain 404", src: "nginx (no Endpoint class behind the path)", note: "not PHP: the web server answers, so no package test covers it",
			steps: []step{get("/api/v2/firewall/aliasez").is(404, "", "").has("<center>nginx</center>")}},
		{area: "envelope", name: "an unsupported method is 405 naming the method", src: "Core/Endpoint.inc check_request_method", test: tEndpoint + "test_check_request_method",
			steps: []step{put(aliasURL, `{}`).is(405, "ENDPOINT_METHOD_NOT_ALLOWED", "Resource at /api/v2/firewall/alias does not support the requested HTTP method `PUT`")}},
		{area: "envelope", name: "the OpenAPI schema is served without auth or envelope", src: "Schemas/OpenAPISchema.inc (static file)", note: "served as a file; the package tests the generator, not the URL",
			steps: []step{get("/api/v2/schema/openapi").as("none").is(200, "", "").then(func(t *testing.T, r result) { startsWith(t, r, `{"openapi":`) })}},
		{area: "envelope", name: "the native schema is served without auth", src: "Schemas/NativeSchema.inc (docs/NATIVE_SCHEMA.md: GET /api/v2/schema/native, no auth)", test: "Tests/APICoreSchemaTestCase.inc test_build_schema_url",
			note:  "the test builds a schema's URL (with GraphQLSchema); the native schema's URL and its lack of auth are documented in docs/NATIVE_SCHEMA.md",
			steps: []step{get("/api/v2/schema/native").as("none").is(200, "", "").has(`"endpoints":`, `"models":`).then(func(t *testing.T, r result) { startsWith(t, r, `{`) })}},
		{area: "envelope", name: "the API disabled answers 503 before authentication", src: "Core/Endpoint.inc check_enabled", test: tEndpoint + "test_check_api_enabled",
			steps: []step{patch("/api/v2/system/restapi/settings", `{"enabled":false}`),
				get(aliasesURL).as("none").is(503, "ENDPOINT_REST_API_IS_NOT_ENABLED", "The REST API is currently not enabled.")}},
		{area: "envelope", name: "read-only mode refuses writes with 405", src: "Core/Endpoint.inc check_request_method (read_only)", test: tEndpoint + "test_check_request_method",
			steps: []step{patch("/api/v2/system/restapi/settings", `{"read_only":true}`),
				get(aliasesURL),
				post(aliasURL, `{"name":"x"}`).is(405, "ENDPOINT_METHOD_NOT_ALLOWED_IN_READ_ONLY_MODE", "Resource at /api/v2/firewall/alias cannot support the requested HTTP method `POST` because the REST API is currently in read-only mode.")}},
	}
}

func contentCases() []ccase {
	ch := "Core/ContentHandler.inc "
	return []ccase{
		{area: "content", name: "Accept text/html is 406 CONTENT_HANDLER_ENCODE_NOT_FOUND", src: ch + "get_encode_handler", note: "no package test covers this: no test asks for a MIME type that has no content handler",
			steps: []step{get(aliasesURL).hdr("Accept: text/html").is(406, "CONTENT_HANDLER_ENCODE_NOT_FOUND", "No content handler exists for `text/html`. Change the value of your `Accept` header to a valid option and try again.")}},
		{area: "content", name: "a list of Accept types is one unknown type (no negotiation)", src: ch + "get_encode_mime_type", test: "Tests/APICoreContentHandlerTestCase.inc test_get_encode_mime_type",
			note:  "the handler compares the whole header with each MIME type after dropping parameters",
			steps: []step{get(aliasesURL).hdr("Accept: application/json, text/plain").is(406, "CONTENT_HANDLER_ENCODE_NOT_FOUND", "")}},
		{area: "content", name: "Accept */* and parameters are JSON", src: ch + "get_encode_mime_type", test: "Tests/APICoreContentHandlerTestCase.inc test_get_encode_mime_type",
			steps: []step{get(aliasesURL).hdr("Accept: */*"), get(aliasesURL).hdr("Accept: application/json; charset=utf-8")}},
		{area: "content", name: "Accept form-urlencoded cannot encode (406)", src: ch + "get_encode_handler (can_encode)", test: "Tests/APIContentHandlersURLContentHandlerTestCase.inc test_can_encode_returns_false",
			steps: []step{get(aliasesURL).hdr("Accept: application/x-www-form-urlencoded").is(406, "CONTENT_HANDLER_CANNOT_ENCODE_CONTENT", "")}},
		{area: "content", name: "Accept octet-stream on a JSON resource is 406", src: "ContentHandlers/BinaryContentHandler.inc _encode", test: "Tests/APIContentHandlersBinaryContentHandlerTestCase.inc test_encode",
			steps: []step{get(aliasesURL).hdr("Accept: application/octet-stream").is(406, "BINARY_CONTENT_HANDLER_RESOURCE_NOT_SUPPORTED", "The requested resource cannot be encoded as a binary file.")}},
		{area: "content", name: "the PKCS#12 export only downloads binary", src: "Endpoints/SystemCertificatePKCS12ExportEndpoint.inc (encode_content_handlers)", test: tEndpoint + "test_encode_content_handler",
			note:  "the test limits an endpoint's encode_content_handlers to BinaryContentHandler, as the PKCS#12 export endpoint does, and a JSON Accept fails in Endpoint::check_encode_content_handler_supported",
			steps: []step{post("/api/v2/system/certificate/pkcs12/export", `{"certref":"67a1f0c2b3d4e"}`).is(406, "ENDPOINT_ACCEPT_NOT_SUPPORTED", "The requested Accept value `application/json` is not supported by this endpoint.")}},
		{area: "content", name: "an unknown Content-Type is 415", src: ch + "get_decode_handler", note: "no package test covers this: no test sends a Content-Type that has no content handler",
			steps: []step{post(aliasURL, `x`).hdr("Content-Type: text/plain").is(415, "CONTENT_HANDLER_DECODE_NOT_FOUND", "No content handler exists for `text/plain`. Change the value of your `Content-Type` header to a valid option and try again.")}},
		{area: "content", name: "octet-stream cannot decode (415)", src: ch + "get_decode_handler (can_decode)", note: "no package test covers this: BinaryContentHandler's tests only encode, and no test decodes with a handler that cannot",
			steps: []step{post(aliasURL, `x`).hdr("Content-Type: application/octet-stream").is(415, "CONTENT_HANDLER_CANNOT_DECODE_CONTENT", "")}},
		{area: "content", name: "invalid JSON is 400", src: "ContentHandlers/JSONContentHandler.inc _decode", test: "Tests/APIContentHandlersJSONContentHandlerTestCase.inc test_decode",
			steps: []step{post(aliasURL, `{"name":`).is(400, "JSON_CONTENT_HANDLER_COULD_NOT_DECODE_JSON", "Request body could not be decoded as JSON.")}},
		{area: "content", name: "a JSON GET reads only the body, not the query string", src: ch + "get_decode_mime_type; JSONContentHandler::get_content", note: "no package test covers this: JSONContentHandler has no get_content test, and no test sends a JSON GET",
			steps: []step{get(aliasesURL + "?name=web_ports").hdr("Content-Type: application/json").then(func(t *testing.T, r result) {
				eq(t, "names", r.column("name"), `["web_servers","admin_nets","web_ports"]`)
			})}},
		{area: "content", name: "a form POST is decoded from the body with types inferred", src: "ContentHandlers/URLContentHandler.inc _decode, infer_type", test: "Tests/APIContentHandlersURLContentHandlerTestCase.inc test_decode",
			steps: []step{post(aliasURL, `name=bt_form&type=host&address[]=192.0.2.5`).hdr("Content-Type: application/x-www-form-urlencoded").has(`"name":"bt_form"`, `"address":["192.0.2.5"]`)}},
		{area: "content", name: "query strings infer integers: ?id=0 finds object 0", src: "ContentHandlers/URLContentHandler.inc infer_type", test: "Tests/APIContentHandlersURLContentHandlerTestCase.inc test_decode",
			steps: []step{get(aliasURL+"?id=0").has(`"id":0,`, `"name":"web_servers"`)}},
		{area: "content", name: "query strings keep negative numbers as strings", src: "ContentHandlers/URLContentHandler.inc infer_type (ctype_digit)", note: "no package test covers this: URLContentHandler's test_decode tries no negative number",
			steps: []step{get(aliasesURL+"?limit=-1").is(400, "ENDPOINT_LIMIT_FIELD_INVALID_TYPE", "Field `limit` must be of type `integer`.")}},
		{area: "content", name: "query strings infer true/false/null", src: "ContentHandlers/URLContentHandler.inc infer_type", test: "Tests/APIContentHandlersURLContentHandlerTestCase.inc test_decode",
			steps: []step{get(rulesURL + "?log=true").then(func(t *testing.T, r result) {
				eq(t, "descr", r.column("descr"), `["NAT Allow web to DMZ","Block DMZ to LAN"]`)
			}),
				get(rulesURL + "?protocol=null").then(func(t *testing.T, r result) { eq(t, "count", len(r.column("id")), `2`) })}},
		{area: "content", name: "an empty JSON body is an empty request", src: "ContentHandlers/JSONContentHandler.inc _decode (empty)", test: "Tests/APIContentHandlersJSONContentHandlerTestCase.inc test_decode",
			steps: []step{post(aliasURL, ``).hdr("Content-Type: application/json").is(400, "FIELD_IS_REQUIRED", "Field `name` is required.")}},
	}
}

func authCases(v10 bool) []ccase {
	multi := "Core/Auth.inc attempt_multi_auth"
	keyOn := simulator.Options{APIKey: ccKey}
	cs := []ccase{
		{area: "auth", name: "no credentials is 401 without a challenge", src: multi, test: tAuth + "test_attempt_multi_auth",
			note: "BasicAuth::on_failed_auth sends the challenge only when BasicAuth was tried",
			steps: []step{get(aliasesURL).as("none").is(401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.").then(func(t *testing.T, r result) {
				eq(t, "WWW-Authenticate", r.header.Get("WWW-Authenticate"), `""`)
			})}},
		{area: "auth", name: "a wrong password is 401 with the BasicAuth challenge", src: "Auth/BasicAuth.inc on_failed_auth", test: "Tests/APIAuthBasicAuthTestCase.inc test_authenticate",
			steps: []step{get(aliasesURL).as("basic:admin:wrong").is(401, "AUTH_AUTHENTICATION_FAILED", "Authentication failed.").then(func(t *testing.T, r result) {
				eq(t, "WWW-Authenticate", r.header.Get("WWW-Authenticate"), `"Basic realm=\"Login for pfSense REST API\""`)
			})}},
		{area: "auth", name: "API keys need KeyAuth in auth_methods", src: multi + " (auth_methods setting)", test: "Tests/APIModelsAPIKeyTestCase.inc test_key_and_hash_populated_after_creation",
			steps: []step{post("/api/v2/auth/key", `{"descr":"k"}`).then(func(t *testing.T, r result) {
				key, _ := r.field("key").(string)
				if len(key) != 48 {
					t.Fatalf("key %q: want 24 bytes in hex", key)
				}
			})}},
		{area: "auth", name: "a valid key authenticates once KeyAuth is enabled", src: "Auth/KeyAuth.inc _authenticate", test: "Tests/APIAuthKeyAuthTestCase.inc test_authenticate", opts: keyOn,
			steps: []step{get(aliasesURL).as("key:" + ccKey)}},
		{area: "auth", name: "an unknown key is 401", src: "Auth/KeyAuth.inc _authenticate", test: "Tests/APIAuthKeyAuthTestCase.inc test_authenticate", opts: keyOn,
			steps: []step{get(aliasesURL).as("key:00").is(401, "AUTH_AUTHENTICATION_FAILED", "")}},
		{area: "auth", name: "POST /auth/key is BasicAuth only", src: "Endpoints/AuthKeyEndpoint.inc (auth_methods)", opts: keyOn,
			note:  "the endpoint's auth_methods is in the native schema; no package test covers this: no test calls the endpoint with an API key",
			steps: []step{post("/api/v2/auth/key", `{"descr":"x"}`).as("key:"+ccKey).is(401, "AUTH_AUTHENTICATION_FAILED", "")}},
		{area: "auth", name: "JWT bearer tokens work once JWTAuth is enabled", src: "Auth/JWTAuth.inc _authenticate", test: "Tests/APIAuthJWTAuthTestCase.inc test_authenticate ; Tests/APIModelsAPIJWTTestCase.inc test_create_and_decode_jwt",
			steps: []step{patch("/api/v2/system/restapi/settings", `{"auth_methods":["BasicAuth","JWTAuth"]}`),
				post("/api/v2/auth/jwt", ``).hdr("Content-Type: application/json").has(`"token":"`)}},
		{area: "auth", name: "a user without the endpoint's privilege is 403", src: "Core/Auth.inc authorize", test: tAuth + "test_authorize",
			steps: []step{post("/api/v2/user", `{"name":"bt_viewer","password":"pw","priv":["api-v2-firewall-aliases-get"]}`),
				get(aliasesURL).as("basic:bt_viewer:pw"),
				get(rulesURL).as("basic:bt_viewer:pw").is(403, "AUTH_AUTHORIZATION_FAILED", "Authorization failed. You do not have sufficient privileges to access this resource.")}},
		{area: "auth", name: "privileges come from the user's groups too", src: "Core/Auth.inc authorize (get_user_privileges)", test: tAuth + "test_authorize",
			steps: []step{post("/api/v2/user", `{"name":"bt_member","password":"pw"}`),
				post("/api/v2/user/group", `{"name":"bt_readers","priv":["api-v2-firewall-rules-get"],"member":["bt_member"]}`),
				get(rulesURL).as("basic:bt_member:pw")}},
		{area: "auth", name: "privilege names turn underscores into hyphens", src: "Core/Endpoint.inc get_method_priv_name", test: tEndpoint + "test_generate_pfsense_privs",
			steps: []step{post("/api/v2/user", `{"name":"bt_pf","password":"pw","priv":["api-v2-firewall-nat-port-forwards-get"]}`),
				get("/api/v2/firewall/nat/port_forwards").as("basic:bt_pf:pw")}},
		{area: "auth", name: "a disabled user cannot authenticate", src: "Core/Auth.inc authenticate (is_user_enabled)", test: tAuth + "test_is_user_enabled",
			steps: []step{post("/api/v2/user", `{"name":"bt_off","password":"pw","disabled":true}`),
				get(aliasesURL).as("basic:bt_off:pw").is(401, "AUTH_AUTHENTICATION_FAILED", "")}},
	}
	// Auth order: the first method whose credentials are present decides.
	order := ccase{area: "auth", name: "the first auth method whose credentials are given decides", src: multi + "; Auth/KeyAuth.inc is_requested", test: tAuth + "test_attempt_multi_auth", opts: keyOn}
	if v10 {
		order.note = "since v2.10.0 any X-API-Key header counts as KeyAuth being requested (commit 04d9f828)"
		order.steps = []step{patch("/api/v2/system/restapi/settings", `{"auth_methods":["KeyAuth","BasicAuth"]}`),
			get(aliasesURL).hdr("X-API-Key: 00").is(401, "AUTH_AUTHENTICATION_FAILED", "")}
	} else {
		order.note = "in v2.7.1 an invalid key does not count as KeyAuth requested, so BasicAuth is tried next"
		order.steps = []step{patch("/api/v2/system/restapi/settings", `{"auth_methods":["KeyAuth","BasicAuth"]}`),
			get(aliasesURL).hdr("X-API-Key: 00")}
	}
	cs = append(cs, order)
	basicUserOnly := ccase{area: "auth", name: "BasicAuth with a user but no password", src: "Auth/BasicAuth.inc is_requested", test: "Tests/APIAuthBasicAuthTestCase.inc test_is_requested"}
	if v10 {
		basicUserOnly.note = "since v2.10.0 BasicAuth needs both (commit f10a9160): nothing is requested, no challenge"
		basicUserOnly.steps = []step{get(aliasesURL).as("basic:admin:").is(401, "AUTH_AUTHENTICATION_FAILED", "").then(func(t *testing.T, r result) {
			eq(t, "challenge", r.header.Get("WWW-Authenticate"), `""`)
		})}
	} else {
		basicUserOnly.note = "v2.7.1 tries BasicAuth when either is given, so the failure carries the challenge"
		basicUserOnly.steps = []step{get(aliasesURL).as("basic:admin:").is(401, "AUTH_AUTHENTICATION_FAILED", "").then(func(t *testing.T, r result) {
			eq(t, "challenge", r.header.Get("WWW-Authenticate"), `"Basic realm=\"Login for pfSense REST API\""`)
		})}
	}
	return append(cs, basicUserOnly)
}

func controlCases(v10 bool) []ccase {
	ep := "Core/Endpoint.inc "
	cs := []ccase{
		{area: "controls", name: "limit must be an integer", src: ep + "validate_limit", test: tEndpoint + "test_validate_endpoint_fields",
			steps: []step{get(aliasesURL+"?limit=x").is(400, "ENDPOINT_LIMIT_FIELD_INVALID_TYPE", "Field `limit` must be of type `integer`.")}},
		{area: "controls", name: "offset must be an integer", src: ep + "validate_offset", test: tEndpoint + "test_validate_endpoint_fields",
			steps: []step{get(aliasesURL+"?offset=1.5").is(400, "ENDPOINT_OFFSET_FIELD_INVALID_TYPE", "Field `offset` must be of type `integer`.")}},
		{area: "controls", name: "reverse must be a boolean: 1 is not", src: ep + "validate_reverse", test: tEndpoint + "test_validate_endpoint_fields",
			steps: []step{get(aliasesURL+"?reverse=1").is(400, "ENDPOINT_REVERSE_FIELD_INVALID_TYPE", "Field `reverse` must be of type `boolean`.")}},
		{area: "controls", name: "async must be a boolean", src: ep + "validate_async", test: tEndpoint + "test_validate_endpoint_fields",
			steps: []step{post(aliasURL, `{"async":"yes"}`).is(400, "ENDPOINT_ASYNC_FIELD_INVALID_TYPE", "Field `async` must be of type `boolean`.")}},
		{area: "controls", name: "append must be a boolean", src: ep + "validate_append", test: tEndpoint + "test_validate_endpoint_fields",
			steps: []step{patch(aliasURL, `{"id":0,"append":"true"}`).is(400, "ENDPOINT_APPEND_FIELD_INVALID_TYPE", "Field `append` must be of type `boolean`.")}},
		{area: "controls", name: "remove must be a boolean", src: ep + "validate_remove", test: tEndpoint + "test_validate_endpoint_fields",
			steps: []step{patch(aliasURL, `{"id":0,"remove":1}`).is(400, "ENDPOINT_REMOVE_FIELD_INVALID_TYPE", "Field `remove` must be of type `boolean`.")}},
		{area: "controls", name: "sort_by must name a model field", src: ep + "validate_sort_by", test: tEndpoint + "test_sort_by_must_be_model_field_name",
			steps: []step{get(aliasesURL+"?sort_by=nope").is(400, "ENDPOINT_SORT_BY_FIELD_NON_EXISTENT_FIELD", "Field `sort_by` must be a valid field in the Model.")}},
		{area: "controls", name: "sort_by id is not a model field", src: ep + "validate_sort_by (get_fields has no id)", test: tEndpoint + "test_sort_by_must_be_model_field_name",
			steps: []step{get(aliasesURL+"?sort_by=id").is(400, "ENDPOINT_SORT_BY_FIELD_NON_EXISTENT_FIELD", "")}},
		{area: "controls", name: "sort_order must be SORT_ASC or SORT_DESC", src: ep + "validate_sort_order", test: tEndpoint + "test_sort_order_must_be_php_sort_constant",
			steps: []step{get(aliasesURL+"?sort_by=name&sort_order=desc").is(400, "ENDPOINT_SORT_ORDER_FIELD_UNKNOWN_SORT_ORDER", "Field `sort_order` must be one of: [`SORT_ASC`, `SORT_DESC`].")}},
		{area: "controls", name: "sort_flags must be a PHP sort constant", src: ep + "validate_sort_flags", test: tEndpoint + "test_sort_flags_must_be_php_sort_constant",
			steps: []step{get(aliasesURL+"?sort_by=name&sort_flags=NATURAL").is(400, "ENDPOINT_SORT_FLAGS_FIELD_UNKNOWN_SORT_FLAGS", "")}},
		{area: "controls", name: "sort_by with SORT_DESC keeps the objects' ids", src: "Core/Model.inc query (sort retain_ids)", test: tModel + "test_query_sort",
			steps: []step{get(aliasesURL + "?sort_by=name&sort_order=SORT_DESC").then(func(t *testing.T, r result) {
				eq(t, "names", r.column("name"), `["web_servers","web_ports","admin_nets"]`)
				eq(t, "ids", r.column("id"), `[0,2,1]`)
			})}},
		{area: "controls", name: "limit and offset paginate", src: "Core/Model.inc paginate", test: tModel + "test_paginate",
			steps: []step{get(aliasesURL + "?limit=1&offset=1").then(func(t *testing.T, r result) { eq(t, "names", r.column("name"), `["admin_nets"]`) })}},
		{area: "controls", name: "an offset past the end is an empty list", src: "Core/Model.inc paginate", test: tModel + "test_paginate",
			steps: []step{get(aliasesURL + "?offset=3").has(`"data":[]`)}},
		{area: "controls", name: "without a query, reverse comes before pagination", src: "Core/Model.inc read_all", test: tModel + "test_read_all_reverse",
			steps: []step{get(aliasesURL + "?reverse=true&limit=1").then(func(t *testing.T, r result) { eq(t, "names", r.column("name"), `["web_ports"]`) })}},
		{area: "controls", name: "with a query, pagination comes before reverse", src: "Core/Model.inc query", test: tModel + "test_query_reverse",
			steps: []step{get(aliasesURL + "?reverse=true&limit=2&name__contains=_").then(func(t *testing.T, r result) { eq(t, "names", r.column("name"), `["admin_nets","web_servers"]`) })}},
		{area: "controls", name: "apply=true applies at once (only a JSON true)", src: ep + "post (apply === true)", test: tModel + "test_model_calls_apply_when_requested",
			steps: []step{post(aliasURL, `{"name":"bt_apply","type":"host","apply":true}`), get("/api/v2/firewall/apply").has(`"applied":true`)}},
		{area: "controls", name: "apply=\"true\" (a string) does not apply", src: ep + "post (apply === true)", test: tModel + "test_model_calls_apply_when_requested",
			steps: []step{post(aliasURL, `{"name":"bt_apply","type":"host","apply":"true"}`), get("/api/v2/firewall/apply").has(`"applied":false`, `"aliases"`)}},
		{area: "controls", name: "placement inserts a new rule at that position", src: "Core/Model.inc set_placement", test: tModel + "test_set_placement",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"any","destination":"any","descr":"bt_first","placement":0}`).has(`"id":0,`),
				get(rulesURL).then(func(t *testing.T, r result) { eq(t, "first", r.column("descr")[0], `"bt_first"`) })}},
		{area: "controls", name: "a placement past the end appends", src: "Core/Model.inc set_placement (min)", test: tModel + "test_set_placement",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"any","destination":"any","placement":99}`).has(`"id":5,`)}},
		{area: "controls", name: "PATCH placement moves an object and renumbers", src: "Core/Model.inc _update, set_placement", test: tModel + "test_set_placement",
			steps: []step{patch(ruleURL, `{"id":2,"placement":0}`).has(`"id":0,`, `"descr":"Block DMZ to LAN"`),
				get(rulesURL).then(func(t *testing.T, r result) {
					eq(t, "order", r.column("descr"), `["Block DMZ to LAN","Default allow LAN to any rule","NAT Allow web to DMZ","OpenVPN Road warriors","WireGuard Road warriors"]`)
				})}},
		{area: "controls", name: "append adds to array fields", src: "Core/Model.inc append_array_changes", test: tEndpoint + "test_patch_append",
			steps: []step{patch(aliasURL, `{"id":1,"address":["10.9.0.0/16"],"append":true}`).has(`"address":["192.168.1.0\/24","10.9.0.0\/16"]`)}},
		{area: "controls", name: "remove takes values out of array fields", src: "Core/Model.inc remove_array_changes", test: tEndpoint + "test_patch_remove",
			steps: []step{patch(aliasURL, `{"id":0,"address":["10.0.4.11"],"detail":["web2"],"remove":true}`).has(`"address":["10.0.4.10"]`, `"detail":["web1"]`)}},
		{area: "controls", name: "remove of addresses alone leaves too many details", src: "Core/Model.inc remove_array_changes ; Models/FirewallAlias.inc validate_detail", test: tEndpoint + "test_patch_remove",
			steps: []step{patch(aliasURL, `{"id":0,"address":["10.0.4.11"],"remove":true}`).is(400, "TOO_MANY_ALIAS_DETAILS", "")}},
	}
	if v10 {
		cs = append(cs, ccase{area: "controls", name: "dry_run validates without writing", src: ep + "validate_dry_run; Core/Model.inc create (dry_run)", test: tEndpoint + "test_dry_run_post_does_not_persist",
			note: "the dry_run control parameter exists since v2.8.0",
			steps: []step{post(aliasURL, `{"name":"bt_dry","type":"host","dry_run":true}`).has(`"name":"bt_dry"`),
				get(aliasesURL + "?name=bt_dry").has(`"data":[]`)}})
	} else {
		cs = append(cs, ccase{area: "controls", name: "v2.7.1 has no dry_run: the key is just ignored data", src: ep + "validate_endpoint_fields (v2.7.1 has no validate_dry_run)",
			note:  "no test: the parameter does not exist in v2.7.1; unknown keys are not fields, so the create goes through",
			steps: []step{post(aliasURL, `{"name":"bt_dry","type":"host","dry_run":true}`), get(aliasesURL + "?name=bt_dry").has(`"name":"bt_dry"`)}})
	}
	return cs
}

func queryCases() []ccase {
	qf := "QueryFilters/"
	names := func(want string) func(t *testing.T, r result) {
		return func(t *testing.T, r result) { eq(t, "names", r.column("name"), want) }
	}
	return []ccase{
		{area: "query", name: "exact (the default)", src: qf + "ExactQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersExactQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(aliasesURL + "?name=web_ports").then(names(`["web_ports"]`))}},
		{area: "query", name: "except", src: qf + "ExceptQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersExceptQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(aliasesURL + "?type__except=host").then(names(`["admin_nets","web_ports"]`))}},
		{area: "query", name: "contains on a string is a substring", src: qf + "ContainsQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersContainsQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(aliasesURL + "?name__contains=_n").then(names(`["admin_nets"]`))}},
		{area: "query", name: "contains on an array is membership", src: qf + "ContainsQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersContainsQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(aliasesURL + "?address__contains=443").then(names(`["web_ports"]`))}},
		{area: "query", name: "startswith on an array is its first element", src: qf + "StartsWithQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersStartsWithQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(aliasesURL + "?address__startswith=10.0.4.1").then(names(`["web_servers"]`))}},
		{area: "query", name: "endswith on an array is its last element", src: qf + "EndsWithQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersEndsWithQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(aliasesURL + "?address__endswith=4.11").then(names(`["web_servers"]`))}},
		{area: "query", name: "a query value like .11 becomes the float 0.11", src: "ContentHandlers/URLContentHandler.inc infer_type (is_numeric with a dot)", test: "Tests/APIContentHandlersURLContentHandlerTestCase.inc test_decode",
			note:  "so `address__endswith=.11` looks for addresses ending in 0.11 and finds none; test_decode checks floats with a leading digit (1.5, 0.52)",
			steps: []step{get(aliasesURL + "?address__endswith=.11").has(`"data":[]`)}},
		{area: "query", name: "in with a string is a substring test of the field in the value", src: qf + "InQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersInQueryFilterTestCase.inc test_evaluate",
			note:  "so `type__in=hostnetwork` matches host and network: the filter is str_contains(value, field)",
			steps: []step{get(aliasesURL + "?type__in=hostnetwork").then(names(`["web_servers","admin_nets"]`))}},
		{area: "query", name: "in with a list is membership", src: qf + "InQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersInQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(aliasesURL + "?type__in[]=port&type__in[]=network").then(names(`["admin_nets","web_ports"]`))}},
		{area: "query", name: "lt/lte/gt/gte compare numbers", src: qf + "LessThanQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersGreaterThanQueryFilterTestCase.inc test_evaluate ; Tests/APIQueryFiltersLessThanEqualQueryFilterTestCase.inc test_evaluate ; Tests/APIQueryFiltersLessThanQueryFilterTestCase.inc test_evaluate ; Tests/APIQueryFiltersGreaterThanEqualQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(rulesURL + "?tracker__gt=1700000001&tracker__lte=1700000003").then(func(t *testing.T, r result) { eq(t, "ids", r.column("id"), `[1,2]`) })}},
		{area: "query", name: "lt on a non-numeric field matches nothing", src: qf + "LessThanQueryFilter.inc evaluate (is_numeric)", note: "no package test covers this: LessThanQueryFilter's test_evaluate compares numbers and numeric strings only",
			steps: []step{get(aliasesURL + "?name__lt=5").has(`"data":[]`)}},
		{area: "query", name: "regex with delimiters", src: qf + "RegexQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersRegexQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(aliasesURL + "?name__regex=/^WEB_/i").then(names(`["web_servers","web_ports"]`))}},
		{area: "query", name: "an invalid regex matches nothing (no error)", src: qf + "RegexQueryFilter.inc evaluate (preg_match false)",
			note:  "preg_match warns and returns false; no package test covers this: RegexQueryFilter's test_evaluate tries no invalid pattern",
			steps: []step{get(aliasesURL + "?name__regex=web").has(`"data":[]`)}},
		{area: "query", name: "format ipv4", src: qf + "FormatQueryFilter.inc evaluate", test: "Tests/APIQueryFiltersFormatQueryFilterTestCase.inc test_evaluate",
			steps: []step{get("/api/v2/firewall/nat/port_forwards?target__format=ipv4").has(`"target":"10.0.4.10"`)}},
		{area: "query", name: "format alias", src: qf + "FormatQueryFilter.inc evaluate (alias)", test: "Tests/APIQueryFiltersFormatQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(rulesURL + "?destination__format=alias").then(func(t *testing.T, r result) { eq(t, "ids", r.column("id"), `[1]`) })}},
		{area: "query", name: "an unknown filter name is 404", src: "Core/QueryFilter.inc get_by_name", test: "Tests/APICoreQueryFilterTestCase.inc test_get_by_name",
			steps: []step{get(aliasesURL+"?name__like=x").is(404, "QUERY_FILTER_NOT_FOUND", "No QueryFilter class found with the name `like`.")}},
		{area: "query", name: "an unknown filter on an empty list is no error", src: "Core/ModelSet.inc query (filters resolved per object)",
			note:  "the filter class is looked up inside the loop over objects; no object, no lookup; no package test covers this: no test queries an empty ModelSet with an unknown filter",
			steps: []step{get("/api/v2/firewall/schedules?name__like=x").has(`"data":[]`)}},
		{area: "query", name: "an unknown field is skipped: it matches everything", src: "Core/ModelSet.inc query (property_exists)", note: "no package test covers this: the ModelSet query tests filter on existing fields only",
			steps: []step{get(aliasesURL + "?nmae=web_ports").then(names(`["web_servers","admin_nets","web_ports"]`))}},
		{area: "query", name: "a Model property name is not skipped: its value is null", src: "Core/ModelSet.inc query (property_exists on Model properties)",
			note:  "no test: `placement` is a property of Core/Model.inc, so the filter reads null and matches nothing",
			steps: []step{get(aliasesURL + "?placement=0").has(`"data":[]`)}},
		{area: "query", name: "id filters by id", src: "Core/ModelSet.inc query (id)", note: "no package test covers this: tests look objects up with query(id: ...) only in passing, never with a filter such as except",
			steps: []step{get(aliasesURL + "?id__except=0").then(names(`["admin_nets","web_ports"]`))}},
		{area: "query", name: "exact compares loosely: ?tracker=1700000002 (an integer) matches", src: qf + "ExactQueryFilter.inc evaluate (==)", note: "no package test covers this: ExactQueryFilter's test_evaluate compares equal strings and 0 with null only, nothing loosely equal",
			steps: []step{get(rulesURL + "?tracker=1700000002").then(func(t *testing.T, r result) { eq(t, "ids", r.column("id"), `[1]`) })}},
		{area: "query", name: "null compares strictly", src: qf + "ExactQueryFilter.inc evaluate (=== null)", test: "Tests/APIQueryFiltersExactQueryFilterTestCase.inc test_evaluate",
			steps: []step{get(rulesURL + "?gateway=null").then(func(t *testing.T, r result) { eq(t, "count", len(r.column("id")), `5`) })}},
	}
}

func crudCases() []ccase {
	m := "Core/Model.inc "
	return []ccase{
		{area: "crud", name: "a singular GET without id is 400", src: m + "read", test: tModel + "test_model_update_without_id",
			steps: []step{get(aliasURL).is(400, "MODEL_REQUIRES_ID", "Field `id` is required.")}},
		{area: "crud", name: "an unknown id is 404", src: m + "from_internal", test: tModel + "test_model_delete",
			steps: []step{get(aliasURL+"?id=7").is(404, "MODEL_OBJECT_NOT_FOUND", "Object with ID `7` does not exist.")}},
		{area: "crud", name: "ids are positions and renumber after a delete", src: m + "_delete (config array re-indexed)", test: tModel + "test_model_delete",
			steps: []step{del(aliasURL + "?id=0"), get(aliasURL + "?id=0").has(`"name":"admin_nets"`)}},
		{area: "crud", name: "POST drops a client id", src: "Core/Endpoint.inc post (auto_create_id)", test: tModel + "test_model_create",
			steps: []step{post(aliasURL, `{"id":42,"name":"bt_id","type":"host"}`).has(`"id":3,`)}},
		{area: "crud", name: "a new object shows every field, null where nothing applies", src: m + "to_representation", test: tModel + "test_model_create",
			steps: []step{post(ruleURL, `{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"any","destination":"any"}`).has(`"gateway":null`, `"descr":""`, `"statetype":"keep state"`)}},
		{area: "crud", name: "PATCH overlays the stored object", src: m + "update (from_representation with id)", test: tModel + "test_model_update",
			steps: []step{patch(aliasURL, `{"id":2,"descr":"bt changed"}`).has(`"name":"web_ports"`, `"descr":"bt changed"`)}},
		{area: "crud", name: "PATCH without id is 400", src: m + "validate (requires_id)", test: tModel + "test_model_update_without_id",
			steps: []step{patch(aliasURL, `{"descr":"x"}`).is(400, "MODEL_REQUIRES_ID", "Field `id` is required.")}},
		{area: "crud", name: "DELETE returns the deleted object", src: m + "delete", test: tModel + "test_model_delete",
			steps: []step{del(aliasURL + "?id=2").has(`"name":"web_ports"`)}},
		{area: "crud", name: "DELETE without id is 400", src: m + "delete (validate requires_id)", test: tModel + "test_model_delete_without_id",
			steps: []step{del(aliasURL).is(400, "MODEL_REQUIRES_ID", "Field `id` is required.")}},
		{area: "crud", name: "PUT must be a list", src: "Core/Endpoint.inc validate_endpoint_fields", test: tEndpoint + "test_put_many_e2e",
			steps: []step{put(aliasesURL, `{"name":"x"}`).is(400, "ENDPOINT_REQUEST_DATA_MUST_BE_INDEXED_ARRAY", "PUT requests to `many` endpoints must contain an indexed array of objects to replace.")}},
		{area: "crud", name: "PUT replaces everything, re-indexed from 0", src: m + "replace_all", test: tEndpoint + "test_put_many_e2e",
			steps: []step{put(aliasesURL, `[{"name":"bt_a","type":"host"},{"name":"bt_b","type":"network"}]`).then(func(t *testing.T, r result) {
				eq(t, "ids", r.column("id"), `[0,1]`)
				eq(t, "names", r.column("name"), `["bt_a","bt_b"]`)
			}),
				get(aliasesURL).then(func(t *testing.T, r result) { eq(t, "names", r.column("name"), `["bt_a","bt_b"]`) })}},
		{area: "crud", name: "PUT {} is an empty list: everything goes", src: "Core/Tools.inc is_assoc_array (an empty array is not associative)",
			note:  "no test: json_decode('{}', true) is [] and passes the indexed-array check, so replace_all gets nothing",
			steps: []step{put(aliasesURL, `{}`), get(aliasesURL).has(`"data":[]`)}},
		{area: "crud", name: "PUT below many_minimum is refused", src: m + "replace_all (many_minimum)", test: tModel + "test_sort_replace_all",
			note:  "FirewallRule's many_minimum is 1 (Models/FirewallRule.inc __construct)",
			steps: []step{put(rulesURL, `[]`).is(400, "MODEL_REPLACE_ALL_MINIMUM_NOT_MET", "A minimum of 1 new objects is required to replace all existing objects.")}},
		{area: "crud", name: "PUT keeps read-only values the client sends back", src: m + "from_representation (assigns every field) ; Core/Field.inc validate (read-only not validated)",
			note:  "no test: a PUT of the rules as read keeps their tracker and created_* instead of new ones",
			steps: []step{put(rulesURL, `[{"type":"pass","interface":["lan"],"ipprotocol":"inet","source":"lan","destination":"any","tracker":1700000001,"created_time":1756300000}]`).has(`"tracker":1700000001`, `"created_time":1756300000`)}},
		{area: "crud", name: "plural DELETE needs a query", src: m + "delete_many", test: tModel + "test_delete_many_no_query",
			steps: []step{del(aliasesURL).is(400, "MODEL_DELETE_MANY_REQUIRES_QUERY_PARAMS", "At least one query parameter is required to perform mass deletion.")}},
		{area: "crud", name: "plural DELETE with a misspelled field deletes everything", src: m + "delete_many; Core/ModelSet.inc query (unknown fields skipped)", test: tModel + "test_delete_many",
			note:  "the hazard the MCP server guards against",
			steps: []step{delBody(aliasesURL, `{"nmae":"x"}`).hdr("Content-Type: application/json"), get(aliasesURL).has(`"data":[]`)}},
		{area: "crud", name: "plural DELETE with only apply=true deletes everything", src: "Core/Endpoint.inc delete (apply stays in the query) ; Core/Model.inc delete_many",
			note:  "no test: apply is not a control the endpoint removes, and not a field, so the query matches every object",
			steps: []step{del(aliasesURL + "?apply=true"), get(aliasesURL).has(`"data":[]`)}},
		{area: "crud", name: "plural DELETE all=false deletes everything", src: "Core/Endpoint.inc delete (all === true only)",
			note:  "no test: `all=false` is not the delete-all switch, so it becomes a query on an unknown field",
			steps: []step{del(aliasesURL + "?all=false"), get(aliasesURL).has(`"data":[]`)}},
		{area: "crud", name: "plural DELETE all=true deletes everything", src: m + "delete_all", test: tEndpoint + "test_delete_all",
			steps: []step{del("/api/v2/firewall/schedules?all=true"), del(aliasesURL + "?all=true").has(`"name":"web_ports"`)}},
		{area: "crud", name: "plural DELETE stops at many_minimum with earlier deletions done", src: "Core/ModelSet.inc delete (reverse order) ; Core/Model.inc check_many_minimum", test: tModel + "test_delete_all",
			note: "objects are deleted from the last; the last rule cannot go (many_minimum 1), so two of three are gone",
			steps: []step{del(rulesURL+"?all=true").is(403, "MODEL_MANY_MINIMUM_REACHED", "Object deletion denied. Deleting this object would result in the number of existing objects falling below the minimum number allowed for this Model, 1."),
				get(rulesURL).then(func(t *testing.T, r result) { eq(t, "left", r.column("descr"), `["Default allow LAN to any rule"]`) })}},
		{area: "crud", name: "plural DELETE applies limit to the matches", src: m + "delete_many (limit, offset)", test: tModel + "test_delete_many",
			steps: []step{del(aliasesURL + "?name__contains=_&limit=1"), get(aliasesURL).then(func(t *testing.T, r result) { eq(t, "left", r.column("name"), `["admin_nets","web_ports"]`) })}},
		{area: "crud", name: "settings answer without an id", src: m + "read (non-many)", test: tModel + "test_model_update",
			steps: []step{get("/api/v2/system/hostname").has(`"hostname":"pfsense"`).not(`"id":`)}},
		{area: "crud", name: "string ids: interfaces are wan, lan, opt1", src: "Models/NetworkInterface.inc (id_type string)", test: "Tests/APIModelsNetworkInterfaceTestCase.inc test_get_next_id",
			steps: []step{get("/api/v2/interface?id=lan").has(`"id":"lan"`)}},
		{area: "crud", name: "children carry parent_id and id", src: m + "to_representation (parent_id)", test: tModel + "test_read_all_with_parent_model",
			steps: []step{get("/api/v2/services/dhcp_server/static_mapping?parent_id=lan&id=0").has(`"parent_id":"lan","id":0,`)}},
		{area: "crud", name: "a child without parent_id cannot be looked up (500)", src: m + "get_config_path",
			note:  "no test: from_representation loads the id before any parent, and get_config_path throws a ServerError",
			steps: []step{get("/api/v2/services/dhcp_server/static_mapping?id=0").is(500, "MODEL_CANNOT_GET_CONFIG_PATH_WITHOUT_PARENT_MODEL", "")}},
		{area: "crud", name: "a child create without parent_id is 400", src: m + "validate (parent)", test: tModel + "test_read_all_with_parent_model",
			steps: []step{post("/api/v2/services/dhcp_server/static_mapping", `{"mac":"00:11:22:33:44:55","ipaddr":"192.168.1.20"}`).is(400, "MODEL_PARENT_ID_REQUIRED", "Field `parent_id` is required.")}},
		{area: "crud", name: "an unknown parent is 404", src: m + "get_parent_model", test: tModel + "test_read_all_with_parent_model",
			steps: []step{get("/api/v2/services/dhcp_server/static_mapping?parent_id=opt9&id=0").is(404, "MODEL_PARENT_OBJECT_NOT_FOUND", "Parent object with ID `opt9` does not exist.")}},
		{area: "crud", name: "a JSON id \"0\" finds object 0 and is echoed as given", src: m + "from_representation (id as given) ; from_internal (array_key_exists)",
			note:  "no test: PHP array keys make \"0\" and 0 the same key; the answer repeats the client's id",
			steps: []step{patch(aliasURL, `{"id":"0","descr":"x"}`).has(`"id":"0",`)}},
	}
}

// sscanVersion reads v2.7.1 into three numbers.
func sscanVersion(v string, a, b, c *int) (int, error) {
	parts := strings.Split(strings.TrimPrefix(v, "v"), ".")
	for len(parts) < 3 {
		parts = append(parts, "0")
	}
	n := 0
	for i, p := range parts[:3] {
		x := 0
		for _, ch := range p {
			if ch < '0' || ch > '9' {
				break
			}
			x = x*10 + int(ch-'0')
		}
		*[]*int{a, b, c}[i] = x
		n++
	}
	return n, nil
}
