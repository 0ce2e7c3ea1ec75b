// The legacy HTTP+SSE transport (protocol 2024-11-05) driven by the official v1 SDK's SSEClientTransport:
// GET /p/{id}/sse announces the messages endpoint, requests are POSTed there and answered on the stream.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { assert } from './steps.mjs';
import { getMissingItem } from './tool-error.mjs';

/** Connects with the access token an OAuth dance already produced; answers the connected client. */
export async function connectLegacySse(sseUrl, accessToken) {
  const authProvider = {
    get redirectUrl() { return 'http://127.0.0.1/unused'; },
    get clientMetadata() { return { redirect_uris: ['http://127.0.0.1/unused'] }; },
    clientInformation: () => undefined,
    tokens: () => ({ access_token: accessToken, token_type: 'Bearer' }),
    saveTokens: () => {},
    redirectToAuthorization: () => { throw new Error('the legacy SSE step reuses an existing token'); },
    saveCodeVerifier: () => {},
    codeVerifier: () => '',
  };
  const transport = new SSEClientTransport(new URL(sseUrl), { authProvider });
  const client = new Client({ name: 'backlog-e2e-legacy-sse', version: '1.0.0' });
  await client.connect(transport);
  return { client, transport };
}

/** Lists tools and calls a few read tools (one failing) over the legacy transport; `call` counts them for the audit check. */
export async function readOverLegacySse({ sseUrl, accessToken, projectId, call }) {
  const { client, transport } = await connectLegacySse(sseUrl, accessToken);
  try {
    assert.equal(client.getServerVersion()?.name, 'backlog-mcp');
    const { tools } = await client.listTools();
    assert.ok(tools.some((t) => t.name === 'get_project'), 'tools/list over the legacy transport');
    const agent = { call: (name, args) => client.callTool({ name, arguments: args }) };
    const project = await call(agent, projectId, 'get_project', {});
    assert.ok(!project.isError && project.structuredContent?.project, JSON.stringify(project));
    const items = await call(agent, projectId, 'list_items', { limit: 3 });
    assert.ok(!items.isError, JSON.stringify(items));
    await getMissingItem(call, agent, projectId, 'legacy SSE, get_item of a missing id');
    return { sessionId: new URL(transport._endpoint).searchParams.get('sessionId') };
  } finally {
    await client.close();
  }
}
