// The official MCP TypeScript SDK client against the edge: initialize, notifications/initialized, tools/list,
// tools/call (a read and a write tool, and a read that fails), with JSON responses. Usage: node sdk-smoke.mjs <endpoint-url> <token>
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
// A tool error must resolve (isError) rather than throw: the SDK checks any structuredContent against the tool's
// outputSchema, which describes the success, so the error object travels as the text block only.
const failed = await client.callTool({ name: "get_item", arguments: { id: "itm_foreign" } });
console.log(JSON.stringify({
  protocolVersion: version,
  tools: tools.map((t) => t.name),
  read: { isError: read.isError, structuredContent: read.structuredContent },
  write: { isError: write.isError, structuredContent: write.structuredContent },
  failed: { isError: failed.isError, hasStructuredContent: "structuredContent" in failed, error: JSON.parse(failed.content[0].text) },
}));
await client.close();
