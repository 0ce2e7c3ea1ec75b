// An agent on the official TypeScript SDK v2 client (@modelcontextprotocol/client), in one of its version
// negotiation modes: 'auto' (probe with server/discover, take 2026-07-28 when offered) or pinned to 2026-07-28.
// The SDK v2 does the whole OAuth dance itself; the user logs in and approves in the browser as for the v1 agent.
import { Client, StreamableHTTPClientTransport, UnauthorizedError } from '@modelcontextprotocol/client';
import { approveConsent } from './browser.mjs';
import { MemoryProvider, startCallbackServer, withTimeout } from './agent.mjs';

export class AgentV2 {
  /**
   * @param mode 'auto' or { pin: '2026-07-28' }
   */
  constructor({ mcpUrl, user, context, mode }) {
    this.mcpUrl = new URL(mcpUrl);
    this.user = user;
    this.context = context;
    this.mode = mode;
    this.client = undefined;
    this.provider = undefined;
    this.consent = undefined;
  }

  async connect() {
    const callback = await startCallbackServer(0);
    this.provider = new MemoryProvider({
      redirectUrl: `http://127.0.0.1:${callback.port}/callback`,
      onRedirect: async (url) => { this.consent = await approveConsent(this.context, url, this.user); },
    });
    try {
      await this._tryConnect();
      throw new Error('the MCP endpoint accepted a client without a token');
    } catch (e) {
      // The 401 starts the authorization in the browser; the SDK reports it as UnauthorizedError (or, when it came on
      // the negotiation probe, as the probe's failure after the redirect was already made).
      if (!(e instanceof UnauthorizedError) && !this.provider.lastAuthorizationUrl) throw e;
    }
    const params = await withTimeout(callback.received, 20000, 'authorization response on the loopback redirect');
    callback.server.close();
    if (params.error) throw new Error(`authorization failed: ${params.error} ${params.error_description || ''}`);
    if (params.state !== this.provider.lastState) throw new Error('state not echoed');
    const transport = new StreamableHTTPClientTransport(this.mcpUrl, { authProvider: this.provider });
    await transport.finishAuth(new URLSearchParams(params));
    await this._tryConnect();
    return this;
  }

  async _tryConnect() {
    const transport = new StreamableHTTPClientTransport(this.mcpUrl, { authProvider: this.provider });
    const client = new Client({ name: 'backlog-e2e-agent-v2', version: '1.0.0' }, { versionNegotiation: { mode: this.mode } });
    await client.connect(transport);
    this.client = client;
  }

  get tokens() { return this.provider.tokens(); }
  get protocolVersion() { return this.client.getNegotiatedProtocolVersion(); }
  get era() { return this.client.getProtocolEra(); }

  async listAll(method, key) {
    const items = [];
    let cursor;
    do {
      const page = await this.client[method](cursor ? { cursor } : {});
      items.push(...page[key]);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  listTools() { return this.listAll('listTools', 'tools'); }

  async call(name, args = {}) {
    return this.client.callTool({ name, arguments: args });
  }

  async close() {
    try { await this.client?.close(); } catch { /* already closed */ }
  }
}
