// An MCP agent as Claude Code or Cursor would be: the official TypeScript SDK client with its OAuth support
// (RFC 9728 discovery, RFC 8414 metadata, dynamic registration or a Client ID Metadata Document, PKCE, resource).
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { approveConsent } from './browser.mjs';

/** A loopback redirect endpoint, as native agents run one, that hands over the authorization response. */
export async function startCallbackServer(port = 0) {
  let deliver;
  const received = new Promise((resolve) => { deliver = resolve; });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname !== '/callback') { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Authorized. You can close this window.</p>');
    deliver(Object.fromEntries(url.searchParams));
  });
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(port, '127.0.0.1', resolve); });
  return { server, port: server.address().port, received };
}

export class MemoryProvider {
  constructor({ redirectUrl, clientMetadataUrl, onRedirect }) {
    this._redirectUrl = redirectUrl;
    this.clientMetadataUrl = clientMetadataUrl;
    this._onRedirect = onRedirect;
    this._tokens = undefined;
    this._client = undefined;
    this._verifier = undefined;
    this.lastAuthorizationUrl = undefined;
  }
  get redirectUrl() { return this._redirectUrl; }
  get clientMetadata() {
    return {
      client_name: 'Backlog MCP end-to-end agent',
      redirect_uris: [this._redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }
  state() { this.lastState = randomUUID(); return this.lastState; }
  clientInformation() { return this._client; }
  saveClientInformation(info) { this._client = info; }
  tokens() { return this._tokens; }
  saveTokens(tokens) { this._tokens = tokens; }
  async redirectToAuthorization(url) { this.lastAuthorizationUrl = url; await this._onRedirect(url); }
  saveCodeVerifier(v) { this._verifier = v; }
  codeVerifier() { return this._verifier; }
}

export class Agent {
  /**
   * @param mcpUrl the project's MCP endpoint
   * @param user {email, password}
   * @param context a Playwright browser context (the user's browser, with its cookies)
   */
  constructor({ mcpUrl, user, context, clientMetadataUrl, consentScreenshot, callbackPort = 0 }) {
    this.callbackPort = callbackPort;
    this.mcpUrl = new URL(mcpUrl);
    this.user = user;
    this.context = context;
    this.clientMetadataUrl = clientMetadataUrl;
    this.consentScreenshot = consentScreenshot;
    this.consent = undefined;
    this.callbackParams = undefined;
    this.client = undefined;
    this.provider = undefined;
  }

  /** Connects; on the first 401 runs the whole authorization in the browser, then connects again. */
  async connect() {
    const callback = await startCallbackServer(this.callbackPort);
    const redirectUrl = `http://127.0.0.1:${callback.port}/callback`;
    this.provider = new MemoryProvider({
      redirectUrl,
      clientMetadataUrl: this.clientMetadataUrl,
      onRedirect: async (url) => {
        this.consent = await approveConsent(this.context, url, this.user, { screenshotName: this.consentScreenshot });
      },
    });
    try {
      const first = await this._tryConnect();
      if (first) throw new Error('the MCP endpoint accepted a client without a token');
    } catch (e) {
      if (!(e instanceof UnauthorizedError)) throw e;
    }
    const params = await withTimeout(callback.received, 20000, 'authorization response on the loopback redirect');
    callback.server.close();
    this.callbackParams = params;
    if (params.error) throw new Error(`authorization failed: ${params.error} ${params.error_description || ''}`);
    if (params.state !== this.provider.lastState) throw new Error(`state not echoed: sent ${this.provider.lastState}, got ${params.state}`);
    this.transport = new StreamableHTTPClientTransport(this.mcpUrl, { authProvider: this.provider });
    await this.transport.finishAuth(params.code);
    const ok = await this._tryConnect();
    if (!ok) throw new Error('could not connect after authorization');
    return this;
  }

  async _tryConnect() {
    const transport = new StreamableHTTPClientTransport(this.mcpUrl, { authProvider: this.provider });
    const client = new Client({ name: 'backlog-e2e-agent', version: '1.0.0' });
    await client.connect(transport);
    this.client = client;
    return true;
  }

  get tokens() { return this.provider.tokens(); }
  get clientId() { return this.provider.clientInformation()?.client_id; }

  async listTools() {
    const tools = [];
    let cursor;
    do {
      const page = await this.client.listTools(cursor ? { cursor } : {});
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  async call(name, args = {}) {
    return this.client.callTool({ name, arguments: args });
  }

  async close() {
    try { await this.client?.close(); } catch { /* already closed */ }
  }
}

/** A raw JSON-RPC call with a given bearer, to see the HTTP status and challenge the SDK would hide. */
export async function rawCall(mcpUrl, accessToken, method, params = {}, id = 1) {
  const res = await fetch(mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-06-18',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id, method, params }),
  });
  const text = await res.text();
  let body;
  try { body = JSON.parse(text); } catch { body = text; }
  return { status: res.status, headers: res.headers, body };
}

export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms); }),
  ]);
}
