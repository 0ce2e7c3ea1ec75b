// The official SDK v2 client (@modelcontextprotocol/client 2.4) against the edge, in 'auto' negotiation (it probes
// with server/discover and must settle on 2026-07-28) and pinned to 2026-07-28: the OAuth dance, the four listings
// (the client validates their caching hints), then every tool the grant allows with each result checked, and one
// call that fails, read as a tool error.
import { AgentV2 } from './agent-v2.mjs';
import { argsFor, READ_ORDER, WRITE_ORDER } from './tool-args.mjs';
import { assert } from './steps.mjs';
import { getMissingItem } from './tool-error.mjs';

export const MODES = [
  { label: "'auto'", mode: 'auto' },
  { label: 'pinned 2026-07-28', mode: { pin: '2026-07-28' } },
];

/**
 * One agent in `mode` for `user` on `projectId`: connects (OAuth in `context`), lists, calls every tool.
 * `call(agent, projectId, name, args)` counts the call for the audit check; `checkResult(tool, result)` validates it.
 */
export async function everyToolOverSdkV2({ mode, mcpUrl, projectId, user, context, call, checkResult, marker }) {
  const agent = await new AgentV2({ mcpUrl, user, context, mode }).connect();
  try {
    assert.equal(agent.protocolVersion, '2026-07-28', `negotiated ${agent.protocolVersion} (era ${agent.era})`);
    const tools = await agent.listTools();
    assert.ok(tools.length > 0, 'tools/list answered');
    const resources = await agent.listAll('listResources', 'resources');
    await agent.listAll('listResourceTemplates', 'resourceTemplates');
    await agent.listAll('listPrompts', 'prompts');
    if (resources.length > 0) {
      const read = await agent.client.readResource({ uri: resources[0].uri });
      assert.ok(read.contents.length > 0, `resources/read ${resources[0].uri}`);
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    const ordered = [...READ_ORDER, ...WRITE_ORDER].filter((n) => byName[n]);
    assert.deepEqual(tools.map((t) => t.name).filter((n) => !ordered.includes(n)), [], 'every listed tool has e2e arguments');
    const ctx = { marker };
    for (const name of ordered) {
      const result = await call(agent, projectId, name, argsFor(name, ctx));
      checkResult(byName[name], result);
      ctx[name] = result.structuredContent;
    }
    await getMissingItem(call, agent, projectId, 'v2 client, get_item of a missing id');
    return { protocolVersion: agent.protocolVersion, tools: ordered.length };
  } finally {
    await agent.close();
  }
}
