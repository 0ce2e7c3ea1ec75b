// Setup for deploy/bench/edge-latency.sh (Node 20, no dependencies). Every request has a timeout; loopback only.
//
//   node edge-latency-setup.mjs prepare   log in as the demo owner, create an API key for the project, find an item
//                                         through the edge (tools/call list_items), check one edge get_item call;
//                                         prints two lines: the API key, then the item id
//   node edge-latency-setup.mjs keys P..   an API key for each project id given (the owner must be a member of each);
//                                         prints one line per project: "<projectId> <apiKey>", after one checked
//                                         edge get_project with each
//   node edge-latency-setup.mjs direct    mint a service credential (HS256, ServiceTokens wire format) and check one
//                                         direct get_item call on backlog-service; prints the credential
//
// Environment: MCP_BASE, AUTH_BASE, BACKLOG_BASE, PROJECT_ID, USER_EMAIL, USER_PASSWORD, USER_ID, DATA_DIR
// (for SERVICE_TOKEN_SECRET in secrets.properties); `direct` also needs ITEM_ID.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const TIMEOUT_MS = 15_000;
const env = (name) => {
  const v = process.env[name];
  if (!v) fail(`missing environment variable ${name}`);
  return v;
};

function fail(message) {
  console.error(`edge-latency setup: ${message}`);
  process.exit(1);
}

async function http(url, options = {}) {
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS), ...options });
}

/** name=value pairs of the Set-Cookie headers of a response. */
function cookies(response) {
  const jar = {};
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const i = pair.indexOf('=');
    jar[pair.slice(0, i).trim()] = pair.slice(i + 1).trim();
  }
  return jar;
}

function hiddenField(html, name) {
  const m = html.match(new RegExp(`name="${name}"[^>]*value="([^"]+)"`)) || html.match(new RegExp(`value="([^"]+)"[^>]*name="${name}"`));
  if (!m) fail(`no hidden field ${name} in the page`);
  return m[1];
}

/** Logs in on auth-service (double-submit login CSRF) and creates a backlog:read API key bound to the project. */
async function createApiKey(projectId = env('PROJECT_ID')) {
  const auth = env('AUTH_BASE');
  const loginPage = await http(`${auth}/login`);
  if (loginPage.status !== 200) fail(`GET /login answered ${loginPage.status}`);
  const loginCsrfCookie = cookies(loginPage).bmcp_login_csrf;
  if (!loginCsrfCookie) fail('GET /login set no bmcp_login_csrf cookie');
  const loginCsrf = hiddenField(await loginPage.text(), 'login_csrf');
  const form = new URLSearchParams({ login_csrf: loginCsrf, return_to: '/account/api-keys',
    email: env('USER_EMAIL'), password: env('USER_PASSWORD') });
  const login = await http(`${auth}/login`, { method: 'POST', body: form.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: `bmcp_login_csrf=${loginCsrfCookie}` } });
  const session = cookies(login).bmcp_session;
  if (login.status !== 303 || !session) fail(`POST /login answered ${login.status} without a session: ${(await login.text()).slice(0, 300)}`);
  const keysPage = await http(`${auth}/account/api-keys`, { headers: { Cookie: `bmcp_session=${session}` } });
  if (keysPage.status !== 200) fail(`GET /account/api-keys answered ${keysPage.status}`);
  const csrf = hiddenField(await keysPage.text(), 'csrf_token');
  const created = await http(`${auth}/account/api-keys/api`, { method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', Cookie: `bmcp_session=${session}`, 'X-CSRF-Token': csrf },
    body: JSON.stringify({ name: `edge-latency benchmark ${projectId} ${new Date().toISOString()}`, projectId, scopes: ['backlog:read'] }) });
  const body = await created.text();
  if (created.status !== 201) fail(`POST /account/api-keys/api answered ${created.status}: ${body.slice(0, 300)}`);
  const secret = JSON.parse(body).secret;
  if (!secret?.startsWith('bmcp_')) fail(`the created key does not look like bmcp_…: ${body.slice(0, 100)}`);
  return secret;
}

/** The edge request exactly as the wrk script sends it (2025-06-18 era, stateless POST, JSON reply). */
export function edgeRequest(apiKey, tool, args, id = 1) {
  return {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-06-18', Authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: tool, arguments: args } }),
  };
}

async function edgeCall(apiKey, tool, args, projectId = env('PROJECT_ID')) {
  const r = await http(`${env('MCP_BASE')}/p/${projectId}/mcp`, edgeRequest(apiKey, tool, args));
  const text = await r.text();
  if (r.status !== 200) fail(`edge ${tool} answered HTTP ${r.status}: ${text.slice(0, 400)}`);
  const reply = JSON.parse(text);
  if (reply.error) fail(`edge ${tool} answered a JSON-RPC error: ${JSON.stringify(reply.error).slice(0, 400)}`);
  if (reply.result?.isError !== false || !reply.result.structuredContent) {
    fail(`edge ${tool} answered a tool error or no structuredContent: ${text.slice(0, 400)}`);
  }
  return reply.result.structuredContent;
}

function secretFromDataDir() {
  const file = path.join(env('DATA_DIR'), 'secrets.properties');
  const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('SERVICE_TOKEN_SECRET='));
  if (!line) fail(`no SERVICE_TOKEN_SECRET in ${file}`);
  // java.util.Properties escapes ':' '=' and '\' with a backslash; the URL-safe base64 secret has none, but be exact.
  return line.slice('SERVICE_TOKEN_SECRET='.length).trim().replace(/\\(.)/g, '$1');
}

/** contracts ServiceTokens.mint("mcp-service", "backlog-service"): HS256 over the secret's UTF-8 bytes, 5 min. */
function mintServiceToken(secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', typ: 'service+jwt' })}.${b64({ iss: 'mcp-service', sub: 'service:mcp-service',
    aud: 'backlog-service', iat: now, exp: now + 300, jti: crypto.randomUUID() })}`;
  return `${input}.${crypto.createHmac('sha256', Buffer.from(secret, 'utf8')).update(input).digest('base64url')}`;
}

async function main() {
  const command = process.argv[2];
  if (command === 'prepare') {
    const apiKey = await createApiKey();
    const listed = await edgeCall(apiKey, 'list_items', { limit: 1 });
    const itemId = listed.items?.[0]?.id;
    if (!itemId) fail(`list_items found no item in ${env('PROJECT_ID')}: ${JSON.stringify(listed).slice(0, 300)}`);
    const got = await edgeCall(apiKey, 'get_item', { id: itemId });
    if (got.item?.id !== itemId) fail(`edge get_item answered another item: ${JSON.stringify(got).slice(0, 300)}`);
    console.log(apiKey);
    console.log(itemId);
  } else if (command === 'keys') {
    for (const projectId of process.argv.slice(3)) {
      const apiKey = await createApiKey(projectId);
      const got = await edgeCall(apiKey, 'get_project', {}, projectId);
      if (!got.project) fail(`edge get_project on ${projectId} answered no project: ${JSON.stringify(got).slice(0, 300)}`);
      console.log(`${projectId} ${apiKey}`);
    }
  } else if (command === 'direct') {
    const token = mintServiceToken(secretFromDataDir());
    const r = await http(`${env('BACKLOG_BASE')}/internal/tools/get_item`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ projectId: env('PROJECT_ID'), userId: env('USER_ID'), arguments: { id: env('ITEM_ID') } }) });
    const text = await r.text();
    if (r.status !== 200) fail(`direct get_item answered HTTP ${r.status}: ${text.slice(0, 400)}`);
    const result = JSON.parse(text);
    if (result.isError !== false || result.structuredContent?.item?.id !== env('ITEM_ID')) {
      fail(`direct get_item answered a tool error or another item: ${text.slice(0, 400)}`);
    }
    console.log(token);
  } else {
    fail('usage: edge-latency-setup.mjs prepare|keys PROJECT...|direct');
  }
}

main().catch((e) => fail(e.stack || String(e)));
