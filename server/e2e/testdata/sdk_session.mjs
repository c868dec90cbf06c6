// A short MCP session run by the official MCP TypeScript SDK's client against pfsense-mcp
// (server/e2e/sdkclient_test.go starts it). It prints one JSON object of what it saw; the Go
// test holds the expectations. Environment:
//   SDK_NODE_MODULES  the node_modules folder holding @modelcontextprotocol/sdk
//   MCP_TRANSPORT     stdio: spawn SERVER_BIN with SERVER_ARGS (JSON list) itself
//                     http:  connect to MCP_URL (a running server), with MCP_TOKEN as bearer
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const mods = process.env.SDK_NODE_MODULES;
const sdk = (p) => import(pathToFileURL(join(mods, "@modelcontextprotocol/sdk/dist/esm", p)).href);
const { Client } = await sdk("client/index.js");

let transport;
if (process.env.MCP_TRANSPORT === "http") {
  const { StreamableHTTPClientTransport } = await sdk("client/streamableHttp.js");
  const headers = process.env.MCP_TOKEN ? { Authorization: `Bearer ${process.env.MCP_TOKEN}` } : {};
  transport = new StreamableHTTPClientTransport(new URL(process.env.MCP_URL), { requestInit: { headers } });
} else {
  const { StdioClientTransport } = await sdk("client/stdio.js");
  transport = new StdioClientTransport({
    command: process.env.SERVER_BIN,
    args: JSON.parse(process.env.SERVER_ARGS || "[]"),
    env: { ...process.env },
    stderr: "ignore",
  });
}

const client = new Client({ name: "sdk-session-test", version: "1.0.0" });
const out = {};
await client.connect(transport);
out.server = client.getServerVersion();
out.capabilities = client.getServerCapabilities();
out.instructions = client.getInstructions() ?? "";

// tools/list, following nextCursor until the last page.
const names = [];
let cursor;
let pages = 0;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  pages++;
  for (const t of page.tools) names.push(t.name);
  cursor = page.nextCursor;
} while (cursor && pages < 1000);
out.pages = pages;
out.tools = names;

const text = (r) => (r.content ?? []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
// A tool error is a result with isError; a JSON-RPC error (rpcError) is the client's exception.
const call = async (name, args) => {
  try {
    const r = await client.callTool({ name, arguments: args });
    return { isError: r.isError === true, text: text(r), rpcError: false };
  } catch (e) {
    return { isError: true, text: String(e.message ?? e), rpcError: true };
  }
};
out.read = await call("pfsense_list_firewall_aliases", { limit: 2 });
out.preview = await call("pfsense_create_firewall_alias", { name: "sdk_test", type: "host", address: ["192.0.2.7"] });
out.badArgs = await call("pfsense_list_firewall_aliases", { limit: "many" });
out.unknownTool = await call("pfsense_no_such_tool", {});
await client.close();
process.stdout.write(JSON.stringify(out) + "\n");
