package simulator_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// GraphQL (POST /api/v2/graphql): the package's own GraphQL tests, case by case. The seed's
// aliases stand in for the tests' test1..test3: web_servers (host, id 0), admin_nets
// (network, id 1), web_ports (port, id 2).

const graphqlURL = "/api/v2/graphql"

// gql posts a query (and variables, a JSON object or "") and expects graphql-php's answer: HTTP
// 200 whatever happened, no envelope.
func gql(query, variables string) step {
	body := map[string]any{"query": query}
	if variables != "" {
		var v any
		if err := json.Unmarshal([]byte(variables), &v); err != nil {
			panic(err)
		}
		body["variables"] = v
	}
	b, _ := json.Marshal(body)
	return post(graphqlURL, string(b)).is(200, "", "")
}

func graphqlCases() []ccase {
	t := func(file, method string) string { return "Tests/" + file + "TestCase.inc " + method }
	model := func(m string) string { return t("APIModelsGraphQL", m) }
	resolver := func(m string) string { return t("APIGraphQLResolver", m) }
	schema := "Schemas/GraphQLSchema.inc get_query_query, field_to_enum ; GraphQL/Resolver.inc query"
	noErrors := func(t *testing.T, r result) {
		if strings.Contains(string(r.raw), `"errors"`) {
			t.Fatalf("answer has errors: %s", r.raw)
		}
	}
	return []ccase{
		{area: "graphql", name: "a read query answers data only, fields in the order asked", src: "Endpoints/GraphQLEndpoint.inc response_handler ; Responses/GraphQLResponse.inc to_representation",
			test:  t("APIEndpointsGraphQLEndpoint", "test_endpoint_e2e") + " ; " + t("APIResponsesGraphQLResponse", "test_to_representation"),
			steps: []step{gql(`{ readSystemHostname { domain hostname } }`, "").has(`{"data":{"readSystemHostname":{"domain":"home.arpa","hostname":"pfsense"}}}`)}},
		{area: "graphql", name: "a field with choices is an enum: VAL_ and the choice in upper case", src: "Schemas/GraphQLSchema.inc field_to_enum, get_query_read ; GraphQL/Resolver.inc read",
			test:  model("test_graphql_read"),
			steps: []step{gql(`{ readFirewallAlias(id: 0) { name type address } }`, "").has(`{"data":{"readFirewallAlias":{"name":"web_servers","type":"VAL_HOST","address":["10.0.4.10","10.0.4.11"]}}}`)}},
		{area: "graphql", name: "a query without arguments lists every object", src: schema, test: model("test_query_all_models_without_params"),
			steps: []step{gql(`{ queryFirewallAliases { name type } }`, "").has(`{"data":{"queryFirewallAliases":[{"name":"web_servers","type":"VAL_HOST"},{"name":"admin_nets","type":"VAL_NETWORK"},{"name":"web_ports","type":"VAL_PORT"}]}}`)}},
		{area: "graphql", name: "query_params filter as the REST query does (a literal 1 matches id 1)", src: schema + " ; GraphQL/QueryParamsScalarType.inc parseLiteral", test: model("test_query_model_with_params"),
			steps: []step{gql(`{ queryFirewallAliases(query_params: {id: 1}) { name type } }`, "").has(`{"data":{"queryFirewallAliases":[{"name":"admin_nets","type":"VAL_NETWORK"}]}}`)}},
		{area: "graphql", name: "limit, offset and reverse page the query", src: schema, test: model("test_query_models_with_limit") + " ; test_query_models_with_offset ; test_query_models_with_reverse",
			steps: []step{
				gql(`{ queryFirewallAliases(limit: 2) { name } }`, "").has(`[{"name":"web_servers"},{"name":"admin_nets"}]`),
				gql(`{ queryFirewallAliases(offset: 1) { name } }`, "").has(`[{"name":"admin_nets"},{"name":"web_ports"}]`),
				gql(`{ queryFirewallAliases(reverse: true) { name } }`, "").has(`[{"name":"web_ports"},{"name":"admin_nets"},{"name":"web_servers"}]`),
			}},
		{area: "graphql", name: "variables fill query_params", src: schema + " ; GraphQL/QueryParamsScalarType.inc parseValue", test: model("test_query_with_variables"),
			steps: []step{gql(`query($query_params: QueryParams) { queryFirewallAliases(query_params: $query_params) { name } }`, `{"query_params":{"id__except":1}}`).
				has(`{"data":{"queryFirewallAliases":[{"name":"web_servers"},{"name":"web_ports"}]}}`)}},
		{area: "graphql", name: "a create mutation takes the fields as arguments, enums by name, and stores the choice", src: "Schemas/GraphQLSchema.inc get_mutation_create ; GraphQL/Resolver.inc create",
			test: model("test_create_mutation") + " ; " + resolver("test_create_resolver"),
			steps: []step{
				gql(`mutation { createFirewallAlias(name: "test4", type: VAL_HOST, descr: "Test alias 4", address: ["4.3.2.1"], detail: ["test detail 4"]) { id name type descr address detail } }`, "").
					has(`{"data":{"createFirewallAlias":{"id":3,"name":"test4","type":"VAL_HOST","descr":"Test alias 4","address":["4.3.2.1"],"detail":["test detail 4"]}}}`),
				get(aliasURL + "?id=3").sub(`{"name":"test4","type":"host","address":["4.3.2.1"]}`),
			}},
		{area: "graphql", name: "an update mutation changes the object at id", src: "Schemas/GraphQLSchema.inc get_mutation_update ; GraphQL/Resolver.inc update ; ContentHandlers/JSONContentHandler.inc encode (json_encode escapes slashes)",
			test: model("test_update_mutation") + " ; " + resolver("test_update_resolver"),
			steps: []step{
				gql(`mutation { updateFirewallAlias(id: 0, type: VAL_NETWORK, descr: "Test alias 5", address: ["5.5.5.5/5"], detail: ["test detail 5"]) { id type descr address detail } }`, "").
					has(`{"data":{"updateFirewallAlias":{"id":0,"type":"VAL_NETWORK","descr":"Test alias 5","address":["5.5.5.5\/5"],"detail":["test detail 5"]}}}`),
				get(aliasURL + "?id=0").sub(`{"name":"web_servers","type":"network","address":["5.5.5.5/5"]}`),
			}},
		{area: "graphql", name: "a delete mutation answers the deleted object", src: "Schemas/GraphQLSchema.inc get_mutation_delete ; GraphQL/Resolver.inc delete",
			test: model("test_delete_mutation") + " ; " + resolver("test_delete_resolver"),
			steps: []step{
				gql(`mutation { deleteFirewallAlias(id: 0) { id name } }`, "").has(`{"data":{"deleteFirewallAlias":{"id":0,"name":"web_servers"}}}`),
				get(aliasesURL).not(`"web_servers"`),
			}},
		{area: "graphql", name: "replaceAll replaces every object with the input objects", src: "Schemas/GraphQLSchema.inc get_mutation_replace_all ; GraphQL/Resolver.inc replace_all",
			test: model("test_replace_all_mutation") + " ; " + resolver("test_replace_all_resolver"),
			steps: []step{
				gql(`mutation { replaceAllFirewallAliases(objects: [{name: "test4", type: VAL_HOST, descr: "Test alias 4", address: ["4.4.4.4"], detail: ["test detail 4"]}]) { name type address } }`, "").
					has(`{"data":{"replaceAllFirewallAliases":[{"name":"test4","type":"VAL_HOST","address":["4.4.4.4"]}]}}`),
				get(aliasesURL).has(`"test4"`).not(`"web_servers"`, `"admin_nets"`),
			}},
		{area: "graphql", name: "deleteAll answers every deleted object", src: "Schemas/GraphQLSchema.inc get_mutation_delete_all ; GraphQL/Resolver.inc delete_all",
			test: model("test_delete_all_mutation") + " ; " + resolver("test_delete_all_resolver"),
			steps: []step{
				gql(`mutation { deleteAllFirewallAliases { id name } }`, "").has(`{"data":{"deleteAllFirewallAliases":[{"id":0,"name":"web_servers"},{"id":1,"name":"admin_nets"},{"id":2,"name":"web_ports"}]}}`),
				get(aliasesURL).has(`"data":[]`),
			}},
		{area: "graphql", name: "deleteMany deletes what query_params match", src: "Schemas/GraphQLSchema.inc get_mutation_delete_many ; GraphQL/Resolver.inc delete_many",
			test: model("test_delete_many_mutation") + " ; " + resolver("test_delete_many_resolver"),
			steps: []step{
				gql(`mutation { deleteManyFirewallAliases(query_params: {name__except: "admin_nets"}) { id name } }`, "").has(`{"data":{"deleteManyFirewallAliases":[{"id":0,"name":"web_servers"},{"id":2,"name":"web_ports"}]}}`),
				get(aliasesURL).has(`"admin_nets"`).not(`"web_servers"`, `"web_ports"`),
			}},
		{area: "graphql", name: "conditionally required fields are nullable: interfaces query without errors", src: "Schemas/GraphQLSchema.inc field_to_type (non-null only when required and unconditional)",
			test:  model("test_query_conditionally_required_field"),
			steps: []step{gql(`query {queryInterfaces {id ipaddr subnet descr typev4 track6_interface}}`, "").has(`{"data":{"queryInterfaces":[{"id":"wan",`).then(noErrors)}},
		{area: "graphql", name: "a model error is an error entry (message, locations, path, response_id) and a null field", src: "GraphQL/Resolver.inc read (Response -> Error with extensions) ; Responses/GraphQLResponse.inc to_representation",
			test: t("APIResponsesGraphQLResponse", "test_to_representation"),
			steps: []step{gql(`{ readFirewallRule(id: 65535) { id } }`, "").
				has(`{"errors":[{"message":"Object with ID ` + "`65535`" + ` does not exist.","locations":[{"line":1,"column":3}],"path":["readFirewallRule"],"extensions":{"response_id":"MODEL_OBJECT_NOT_FOUND"}}],"data":{"readFirewallRule":null}}`)}},
		{area: "graphql", name: "an endpoint error (failed authentication) is HTTP 200 with one error and no data", src: "Endpoints/GraphQLEndpoint.inc response_handler ; Responses/GraphQLResponse.inc to_graphql_response",
			test: t("APIResponsesGraphQLResponse", "test_to_graphql_response") + " ; " + t("APIEndpointsGraphQLEndpoint", "test_response_handler"),
			steps: []step{gql(`{ readSystemHostname { hostname } }`, "").as("basic:admin:wrong").
				has(`{"errors":[{"message":"Authentication failed.","extensions":{"response_id":"AUTH_AUTHENTICATION_FAILED"}}]}`).not(`"data"`)}},
		{area: "graphql", name: "a resolver checks the related endpoint's privileges", src: "GraphQL/Resolver.inc check_privs (GRAPHQL_RESOLVER_UNAUTHORIZED)",
			test: resolver("test_check_query_privilege") + " ; test_check_read_privilege ; test_check_create_privilege",
			steps: []step{
				post("/api/v2/user", `{"name":"gqluser","password":"gqlpass1","priv":["api-v2-graphql-post"]}`),
				gql(`{ queryFirewallAliases { name } }`, "").as("basic:gqluser:gqlpass1").
					has(`"message":"Authorization failed. You do not have sufficient privileges to access this resource."`, `"path":["queryFirewallAliases"]`,
						`"extensions":{"response_id":"GRAPHQL_RESOLVER_UNAUTHORIZED"}`, `"data":{"queryFirewallAliases":null}`),
			}},
		{area: "graphql", name: "a mutation never applies: the apply argument is not passed to the model", src: "GraphQL/Resolver.inc create ($model->create() with apply false) ; Core/Model.inc create",
			note: "the schema declares apply (default true) and async, but the resolver passes the arguments as model data; no package test covers it",
			steps: []step{
				gql(`mutation { createFirewallAlias(name: "gql_pending", type: VAL_HOST, address: ["192.0.2.9"], apply: true) { name } }`, "").has(`{"data":{"createFirewallAlias":{"name":"gql_pending"}}}`),
				get("/api/v2/firewall/apply").has(`"applied":false`),
			}},
		{area: "graphql", name: "an empty query is a syntax error", src: "Models/GraphQL.inc _create (GraphQL::executeQuery) ; webonyx/graphql-php Language/Parser.php parseDocument",
			note:  "no package test; graphql-php's parser wants at least one definition",
			steps: []step{gql(``, "").has(`{"errors":[{"message":"Syntax Error: Unexpected <EOF>","locations":[{"line":1,"column":1}]}]}`)}},
		{area: "graphql", name: "an unknown field is a validation error without data", src: "webonyx/graphql-php Validator/Rules/FieldsOnCorrectType.php",
			note:  "no package test; the message is graphql-php's",
			steps: []step{gql(`{ readSystemHostname { nope } }`, "").has(`{"errors":[{"message":"Cannot query field \"nope\" on type \"SystemHostname\".","locations":[{"line":1,"column":24}]}]}`)}},
	}
}
