// The official MCP TypeScript SDK client against the edge: initialize, notifications/initialized, tools/list,
// tools/call (a read and a write tool), with JSON responses. Usage: node sdk-smoke.mjs <endpoint-url> <token>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "sdk-smoke", version: "1.0.0" });
await client.connect(transport);
const version = transport.protocolVersion;
const { tools } = await client.listTools();
const read = await client.callTool({ name: "get_item", arguments: { id: "itm_1" } });
const write = await client.callTool({ name: "create_item", arguments: { title: "from the SDK" } });
console.log(JSON.stringify({
  protocolVersion: version,
  tools: tools.map((t) => t.name),
  read: { isError: read.isError, structuredContent: read.structuredContent },
  write: { isError: write.isError, structuredContent: write.structuredContent },
}));
await client.close();
