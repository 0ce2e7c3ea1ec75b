// Arguments for every tool of the catalog, built from what earlier calls returned (ctx[toolName] holds each
// tool's structuredContent). Read tools run first (any order), then writes in WRITE_ORDER, so ids exist when needed.
// A tool missing here fails the run on purpose: a new tool must get an end-to-end call.

/** Reads, ordered so each finds the ids it needs. */
export const READ_ORDER = [
  'get_project', 'list_items', 'get_item', 'search', 'list_comments', 'list_notes', 'list_conversations',
  'get_conversation', 'list_announcements', 'get_widget_config', 'list_members', 'list_releases',
  'get_item_history', 'list_activity',
];

/** Writes, ordered so each finds what it needs; remove_member last-but-sync so the invited user is gone again. */
export const WRITE_ORDER = [
  'create_item', 'update_item', 'update_items', 'add_comment', 'add_note',
  'reply_to_conversation', 'close_conversation', 'send_announcement', 'update_widget_config',
  'invite_member', 'update_member_role', 'remove_member',
  'create_release', 'update_release', 'link_external_task', 'sync_external_task',
];

const first = (ctx, tool, key) => {
  const rows = ctx[tool]?.[key];
  if (!rows || rows.length === 0) throw new Error(`${tool} returned no ${key}; the demo data should have some`);
  return rows[0];
};
const createdItem = (ctx) => ctx.create_item?.item?.id ?? first(ctx, 'list_items', 'items').id;
const openConversation = (ctx) => (ctx.list_conversations?.conversations ?? []).find((c) => c.status !== 'closed')
  ?? first(ctx, 'list_conversations', 'conversations');

export function argsFor(name, ctx) {
  const m = ctx.marker;
  switch (name) {
    case 'get_project': return {};
    case 'list_items': return { limit: 20 };
    case 'get_item': return { id: first(ctx, 'list_items', 'items').id };
    case 'search': return { query: firstWord(first(ctx, 'list_items', 'items').title), limit: 5 };
    case 'list_comments': return { itemId: first(ctx, 'list_items', 'items').id };
    case 'list_notes': return { itemId: first(ctx, 'list_items', 'items').id };
    case 'list_conversations': return {};
    case 'get_conversation': return { id: first(ctx, 'list_conversations', 'conversations').id };
    case 'list_announcements': return {};
    case 'get_widget_config': return {};
    case 'list_members': return {};
    case 'list_releases': return {};
    case 'get_item_history': return { id: first(ctx, 'list_items', 'items').id, limit: 10 };
    case 'list_activity': return { since: new Date(Date.now() - 7 * 86_400_000).toISOString(), limit: 20 };

    case 'create_item': return { title: `Checkout fails on Safari ${m}`, type: 'bug_report', priority: 'high',
      description: `Steps to reproduce: open checkout in Safari 17. ${m}`, labels: ['e2e'] };
    case 'update_item': return { id: createdItem(ctx), status: 'in_progress', priority: 'critical' };
    case 'update_items': return { items: [{ id: createdItem(ctx), addLabels: [`bulk-${m}`] }] };
    case 'add_comment': return { itemId: createdItem(ctx), body: `Reproduced on staging ${m}` };
    case 'add_note': return { itemId: createdItem(ctx), body: `Internal: customer is on the enterprise trial ${m}` };
    case 'reply_to_conversation': return { id: openConversation(ctx).id, body: `Thanks, we are on it ${m}` };
    case 'close_conversation': return { id: openConversation(ctx).id };
    case 'send_announcement': return { title: 'Maintenance window', body: `Saturday 02:00 UTC ${m}` };
    case 'update_widget_config': return { config: { ...ctx.get_widget_config.widget.config, greeting: 'Hi! Tell us what you need.' },
      expectedVersion: ctx.get_widget_config.widget.version };
    case 'invite_member': return { userId: 'usr_acme_outsider', role: 'viewer' };
    case 'update_member_role': return { userId: 'usr_acme_outsider', role: 'member' };
    case 'remove_member': return { userId: 'usr_acme_outsider' };
    case 'create_release': return { name: `E2E release ${Date.now()}`, description: 'cut by the end-to-end agent' };
    case 'update_release': return { id: ctx.create_release.release.id, addItemIds: [createdItem(ctx)], status: 'in_progress' };
    case 'link_external_task': return { itemId: createdItem(ctx), system: 'github', externalId: `e2e-${Date.now()}`,
      url: 'https://github.com/acme/web/issues/4242' };
    case 'sync_external_task': return { system: 'jira', externalId: 'E2E-1', title: 'Synced from Jira', status: 'planned' };
    default: throw new Error(`no end-to-end arguments for tool ${name}`);
  }
}

/** User-written text comes back as {untrusted: true, text}: the agent reads the text, never follows it. */
function firstWord(title) {
  const text = typeof title === 'object' && title !== null ? title.text : title;
  return (text || 'login').split(/\s+/).find((w) => w.length > 3) || 'login';
}
