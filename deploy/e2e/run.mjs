// End to end as an agent would: the official MCP TypeScript SDK client does the whole OAuth dance —
// 401, RFC 9728 + RFC 8414 discovery, dynamic registration (then a Client ID Metadata Document), PKCE, resource —
// while a user logs in and approves in headless Chromium; then the agent calls every tool its grant allows.
//
// Environment: MCP_BASE (edge base URL), ISSUER, CHROMIUM, SCREENSHOT_DIR, SUMMARY_FILE, CIMD_URL + CIMD_CALLBACK_PORT
// (optional: the Client ID Metadata Document the Java test serves over https on loopback).
import fs from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { launchBrowser, signIn, screenshot } from './lib/browser.mjs';
import { Agent, rawCall } from './lib/agent.mjs';
import { step, eventually, assert, results, StepFailed, cleanUp } from './lib/steps.mjs';
import { argsFor, READ_ORDER, WRITE_ORDER } from './lib/tool-args.mjs';
import { checkAccountAndAdminPages } from './lib/account-pages.mjs';
import { MODES, everyToolOverSdkV2 } from './lib/sdk-v2.mjs';
import { readOverLegacySse } from './lib/legacy-sse.mjs';
import { getMissingItem, toolError } from './lib/tool-error.mjs';

const MCP_BASE = required('MCP_BASE');
const ISSUER = required('ISSUER');
const MARKER = `e2e-marker-${Date.now().toString(36)}`; // must never appear in audit rows or logs
const users = {
  acmeOwner: { email: 'owner@acme.test', password: 'demo-owner' },
  acmeAdmin: { email: 'admin@acme.test', password: 'demo-admin' },
  acmeMember: { email: 'member@acme.test', password: 'demo-member' },
  hobbyOwner: { email: 'owner@hobby.test', password: 'demo-owner' },
  platform: { email: 'platform@backlog.test', password: 'demo-platform' },
};
const counts = { executed: {}, denied: {} };
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default ? addFormats.default(ajv) : addFormats(ajv);

function required(name) {
  const v = process.env[name];
  if (!v) { console.error(`missing environment variable ${name}`); process.exit(2); }
  return v;
}
const mcpUrl = (projectId) => `${MCP_BASE}/p/${projectId}/mcp`;
const workspaceUrl = (workspaceId) => `${MCP_BASE}/w/${workspaceId}/mcp`;
const decodeJwt = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString());
const bump = (bucket, projectId) => { counts[bucket][projectId] = (counts[bucket][projectId] || 0) + 1; };

/** Calls a tool, counting executed vs denied calls per project for the audit check. */
async function call(agent, projectId, name, args) {
  try {
    const result = await agent.call(name, args);
    bump('executed', projectId);
    return result;
  } catch (e) {
    bump('denied', projectId);
    throw e;
  }
}

function checkResult(tool, result) {
  assert.ok(!result.isError, `${tool.name} failed: ${JSON.stringify(result.structuredContent || result.content)}`);
  assert.ok(result.structuredContent, `${tool.name} returned no structuredContent`);
  const text = result.content?.find((c) => c.type === 'text')?.text;
  assert.ok(text, `${tool.name} returned no text content`);
  assert.deepEqual(JSON.parse(text), result.structuredContent, `${tool.name}: text is not the same JSON as structuredContent`);
  if (tool.outputSchema) {
    const validate = ajv.compile(tool.outputSchema);
    assert.ok(validate(result.structuredContent),
      `${tool.name} result does not match its outputSchema: ${ajv.errorsText(validate.errors)}`);
  }
}

function errorType(e) {
  return e instanceof McpError ? e.data?.error_type : undefined;
}

async function main() {
  const browser = await launchBrowser();
  const ownerBrowser = await browser.newContext();
  let ownerAgent;
  let cimdAgent;
  try {
    ownerAgent = await step('acme owner: 401, discovery, dynamic registration, login and consent in Chromium, token', async () => {
      const unauthenticated = await rawCall(mcpUrl('prj_acme'), null, 'tools/list');
      assert.equal(unauthenticated.status, 401);
      assert.match(unauthenticated.headers.get('www-authenticate') || '', /resource_metadata="/);
      const agent = await new Agent({ mcpUrl: mcpUrl('prj_acme'), user: users.acmeOwner, context: ownerBrowser,
        consentScreenshot: 'consent' }).connect();
      assert.equal(agent.callbackParams.iss, ISSUER, 'RFC 9207 iss on the authorization response');
      const shown = agent.consent.scopes;
      assert.ok(shown.length > 0, 'consent lists scopes');
      for (const s of shown) assert.ok(s.label.length > s.scope.length, `scope ${s.scope} is described in plain English`);
      assert.match(agent.consent.text, /Acme/, 'consent names the project');
      assert.match(agent.consent.text, /127\.0\.0\.1/, 'consent shows the redirect host');
      const claims = decodeJwt(agent.tokens.access_token);
      assert.equal(claims.aud, mcpUrl('prj_acme'));
      return agent;
    });

    await step('acme owner: every granted tool called, results match output schemas; a failing call resolves as a tool error', async () => {
      const tools = await ownerAgent.listTools();
      const names = tools.map((t) => t.name);
      for (const expected of ['get_project', 'list_items', 'create_item', 'remove_member', 'sync_external_task']) {
        assert.ok(names.includes(expected), `owner sees ${expected}`);
      }
      const ctx = { marker: MARKER };
      const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
      const ordered = [...READ_ORDER, ...WRITE_ORDER].filter((n) => byName[n]);
      const missing = names.filter((n) => !ordered.includes(n));
      assert.deepEqual(missing, [], 'every listed tool has arguments in the e2e table');
      for (const name of ordered) {
        const result = await call(ownerAgent, 'prj_acme', name, argsFor(name, ctx));
        checkResult(byName[name], result);
        ctx[name] = result.structuredContent;
      }
      const again = await call(ownerAgent, 'prj_acme', 'sync_external_task', argsFor('sync_external_task', ctx));
      assert.equal(again.structuredContent.created, false, 'sync_external_task is an idempotent upsert');
      // The v1 client checks structuredContent against the tool's outputSchema: a tool error resolves only because
      // it carries none.
      await getMissingItem(call, ownerAgent, 'prj_acme', 'v1 client, get_item of a missing id');
    });

    for (const { label, mode } of MODES) {
      await step(`acme owner, SDK v2 client in ${label} mode: OAuth, 2026-07-28, every granted tool`, async () => {
        const context = await browser.newContext();
        try {
          await everyToolOverSdkV2({ mode, mcpUrl: mcpUrl('prj_acme'), projectId: 'prj_acme', user: users.acmeOwner, context,
            call, checkResult, marker: MARKER });
        } finally {
          await context.close();
        }
      });
    }

    await step('acme owner, legacy HTTP+SSE (2024-11-05) with the v1 SDK SSEClientTransport: endpoint event, answers on the stream', async () => {
      const { sessionId } = await readOverLegacySse({ sseUrl: `${MCP_BASE}/p/prj_acme/sse`, accessToken: ownerAgent.tokens.access_token,
        projectId: 'prj_acme', call });
      const post = () => fetch(`${MCP_BASE}/p/prj_acme/messages?sessionId=${encodeURIComponent(sessionId)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ownerAgent.tokens.access_token}` },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }),
      });
      await eventually(async () => (await post()).status === 404, { timeoutMs: 5000, what: 'the closed stream to end its session' });
    });

    await step('acme owner on the workspace endpoint /w/ws_acme/mcp: OAuth bound to it, list_projects, a project tool with projectId, search across', async () => {
      const wsUrl = workspaceUrl('ws_acme');
      const projectTokenThere = await rawCall(wsUrl, ownerAgent.tokens.access_token, 'tools/list');
      assert.equal(projectTokenThere.status, 401, "the project's token is refused at the workspace endpoint");
      assert.match(projectTokenThere.headers.get('www-authenticate') || '', /oauth-protected-resource\/w\/ws_acme\/mcp"/,
        "the challenge points at the workspace's own metadata");
      const agent = await new Agent({ mcpUrl: wsUrl, user: users.acmeOwner, context: ownerBrowser,
        consentScreenshot: 'consent-workspace' }).connect();
      try {
        assert.equal(decodeJwt(agent.tokens.access_token).aud, wsUrl, 'the token is bound to the workspace endpoint');
        assert.match(agent.consent.text, /Acme/, 'consent names the workspace');
        const workspaceTokenAtProject = await rawCall(mcpUrl('prj_acme'), agent.tokens.access_token, 'tools/list');
        assert.equal(workspaceTokenAtProject.status, 401, "the workspace's token is refused at a project endpoint");

        const tools = await agent.listTools();
        const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
        assert.ok(byName.list_projects, 'the workspace view lists list_projects');
        assert.ok((byName.get_project.inputSchema.required || []).includes('projectId'), 'project tools require projectId');

        const listed = await call(agent, 'ws_acme', 'list_projects', {});
        checkResult(byName.list_projects, listed);
        assert.deepEqual(listed.structuredContent.projects.map((p) => p.id), ['prj_acme'], 'the projects of ws_acme the owner is in');

        const project = await call(agent, 'prj_acme', 'get_project', { projectId: 'prj_acme' });
        checkResult(byName.get_project, project);
        const items = await call(agent, 'prj_acme', 'list_items', { projectId: 'prj_acme', limit: 3 });
        checkResult(byName.list_items, items);
        const title = items.structuredContent.items[0]?.title;
        const word = ((typeof title === 'object' && title !== null ? title.text : title) || 'login')
          .split(/\s+/).find((w) => w.length > 3) || 'login';

        const found = await call(agent, 'ws_acme', 'search', { query: word, limit: 5 });
        checkResult(byName.search, found);
        assert.ok(found.structuredContent.items.length > 0, `search across the workspace finds "${word}"`);
        for (const hit of found.structuredContent.items) assert.equal(hit.projectId, 'prj_acme', 'each hit names its project');

        // Counted as denied, not executed: the edge refuses it before it runs (audited as denied).
        const withoutProject = toolError(await agent.call('get_project', {}), 'a project tool without projectId');
        bump('denied', 'ws_acme');
        assert.equal(withoutProject.error_type, 'VALIDATION_ERROR');
        assert.equal(withoutProject.next_action?.tool, 'list_projects', 'the refusal points to list_projects');
      } finally {
        await agent.close();
      }
    });

    if (process.env.CIMD_URL) {
      cimdAgent = await step('acme owner: second agent identified by a Client ID Metadata Document', async () => {
        const agent = await new Agent({ mcpUrl: mcpUrl('prj_acme'), user: users.acmeOwner, context: ownerBrowser,
          clientMetadataUrl: process.env.CIMD_URL, callbackPort: Number(process.env.CIMD_CALLBACK_PORT) }).connect();
        assert.equal(agent.clientId, process.env.CIMD_URL);
        assert.equal(decodeJwt(agent.tokens.access_token).client_id, process.env.CIMD_URL);
        const result = await call(agent, 'prj_acme', 'get_project', {});
        assert.ok(!result.isError);
        return agent;
      });
    }

    await step('free plan: write scopes disabled on consent, only read tools, 26th call QUOTA_EXCEEDED', async () => {
      const context = await browser.newContext();
      const agent = await new Agent({ mcpUrl: mcpUrl('prj_hobby'), user: users.hobbyOwner, context,
        consentScreenshot: 'consent-free-plan' }).connect();
      const writeScopes = agent.consent.scopes.filter((s) => /:write$/.test(s.scope));
      assert.ok(writeScopes.length > 0, 'write scopes are shown');
      for (const s of writeScopes) assert.ok(s.disabled, `${s.scope} is disabled on the Free plan`);
      const tools = await agent.listTools();
      assert.ok(tools.length > 0);
      for (const t of tools) assert.equal(t.annotations?.readOnlyHint, true, `${t.name} listed on the Free plan is read-only`);
      for (let i = 1; i <= 25; i++) {
        const r = await call(agent, 'prj_hobby', 'get_project', {});
        assert.ok(!r.isError, `call ${i} of 25 succeeds`);
      }
      try {
        await call(agent, 'prj_hobby', 'get_project', {});
        assert.fail('the 26th call of the day should be refused');
      } catch (e) {
        assert.equal(errorType(e), 'QUOTA_EXCEEDED', `26th call: ${e}`);
        assert.equal(e.data.limit, 25);
        assert.ok(e.data.resets_at, 'quota error tells when it resets');
      }
      await agent.close();
      await context.close();
    });

    await step('member removal: an admin removes member@acme.test, the member agent gets NOT_A_MEMBER', async () => {
      const memberBrowser = await browser.newContext();
      const adminBrowser = await browser.newContext();
      const member = await new Agent({ mcpUrl: mcpUrl('prj_acme'), user: users.acmeMember, context: memberBrowser }).connect();
      const admin = await new Agent({ mcpUrl: mcpUrl('prj_acme'), user: users.acmeAdmin, context: adminBrowser }).connect();
      assert.ok(!(await call(member, 'prj_acme', 'list_items', { limit: 1 })).isError);
      const removed = await call(admin, 'prj_acme', 'remove_member', { userId: 'usr_acme_member' });
      assert.ok(!removed.isError, JSON.stringify(removed.structuredContent));
      try {
        await call(member, 'prj_acme', 'list_items', { limit: 1 });
        assert.fail('a removed member must not call tools');
      } catch (e) {
        assert.equal(errorType(e), 'NOT_A_MEMBER', String(e));
      }
      await member.close();
      await admin.close();
      await memberBrowser.close();
      await adminBrowser.close();
    });

    await step('add-on: platform admin switches MCP off for acme (403 MCP_DISABLED), then on again', async () => {
      const agentToken = () => (cimdAgent || ownerAgent).tokens.access_token;
      const adminBrowser = await browser.newContext();
      const page = await signIn(adminBrowser, ISSUER, users.platform);
      await page.goto(`${ISSUER}/admin`);
      await screenshot(page, 'platform-admin');
      await setAddon(page, 'ws_acme', false);
      const off = await rawCall(mcpUrl('prj_acme'), agentToken(), 'tools/call', { name: 'get_project', arguments: {} });
      assert.equal(off.status, 403, JSON.stringify(off.body));
      assert.equal(off.body?.error?.data?.error_type, 'MCP_DISABLED');
      bump('denied', 'prj_acme');
      await setAddon(page, 'ws_acme', true);
      const on = await rawCall(mcpUrl('prj_acme'), agentToken(), 'tools/call', { name: 'get_project', arguments: {} });
      assert.equal(on.status, 200, JSON.stringify(on.body));
      assert.ok(on.body.result && !on.body.result.isError, JSON.stringify(on.body));
      bump('executed', 'prj_acme');
      await adminBrowser.close();
    });

    await step('account and admin pages at 1280 and 390 px: screenshots, no overflow, usage, summaries, audit log', async () => {
      const measured = await checkAccountAndAdminPages(browser, ISSUER, { owner: users.acmeOwner, platform: users.platform });
      console.log(`no overflow on ${measured.join(', ')}`);
    });

    await step('revocation on the connected-apps page: 401 within 1 s, refresh token dead', async () => {
      const { access_token: accessToken, refresh_token: refreshToken } = ownerAgent.tokens;
      const grantId = decodeJwt(accessToken).gid;
      assert.ok(grantId, 'access token carries gid');
      assert.equal((await rawCall(mcpUrl('prj_acme'), accessToken, 'tools/list')).status, 200);
      const page = await ownerBrowser.newPage();
      await page.goto(`${ISSUER}/account/apps`);
      await page.waitForSelector(`[data-grant-id="${grantId}"]`, { timeout: 10000 });
      await screenshot(page, 'connected-apps');
      await Promise.all([page.waitForLoadState('domcontentloaded'), page.click(`[data-grant-id="${grantId}"]`)]);
      const revokedAt = Date.now();
      const { ms } = await eventually(async () => (await rawCall(mcpUrl('prj_acme'), accessToken, 'tools/list')).status === 401,
        { timeoutMs: 1000, intervalMs: 25, what: 'the revoked grant to be refused at the edge' });
      console.log(`revocation reached the edge in ${Date.now() - revokedAt} ms (first 401 after ${ms} ms)`);
      const meta = await (await fetch(`${ISSUER}/.well-known/oauth-authorization-server`)).json();
      const refresh = await fetch(meta.token_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: ownerAgent.clientId }),
      });
      assert.equal(refresh.status, 400);
      assert.equal((await refresh.json()).error, 'invalid_grant');
    });
  } finally {
    await cleanUp('the owner agent', () => ownerAgent?.close());
    await cleanUp('the CIMD agent', () => cimdAgent?.close());
    await cleanUp('the browser', () => browser.close());
    const summary = { marker: MARKER, counts, steps: results };
    if (process.env.SUMMARY_FILE) fs.writeFileSync(process.env.SUMMARY_FILE, JSON.stringify(summary, null, 2));
  }
}

/** Flips the MCP add-on of a workspace on the platform admin page (a one-button form per workspace row). */
async function setAddon(page, workspaceId, enabled) {
  const form = () => page.locator(`#ws-${workspaceId} form:has(input[name="mcpEnabled"])`);
  await form().waitFor({ timeout: 10000 });
  // The form's hidden field holds the state its button switches to.
  const isOn = async () => (await form().locator('input[name="mcpEnabled"]').inputValue()) === 'false';
  if ((await isOn()) !== enabled) {
    await Promise.all([page.waitForLoadState('domcontentloaded'), form().locator('button[type="submit"]').click()]);
    await form().waitFor({ timeout: 10000 });
  }
  assert.equal(await isOn(), enabled, `add-on of ${workspaceId} is ${enabled ? 'on' : 'off'} after saving`);
}

main().then(() => {
  console.log(`E2E PASSED: ${results.length} steps`);
}, (e) => {
  const failed = e instanceof StepFailed ? e.step : 'setup';
  console.log(`E2E FAILED at step "${failed}": ${e?.cause?.message || e?.message || e}`);
  process.exitCode = 1;
}).finally(() => {
  // Whatever a clean-up left behind (an open stream, a browser) must not keep the runner alive once it has reported.
  setTimeout(() => process.exit(process.exitCode ?? 0), 2000).unref();
});
