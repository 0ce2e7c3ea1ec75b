// The account and admin pages as people see them: each page at a desktop and a 390 px phone width, a screenshot of
// each, and a measured check that nothing overflows — neither the page (horizontal scrolling) nor a card (content
// spilling outside its box, as table columns once did).
import { signIn, screenshot } from './browser.mjs';
import { assert } from './steps.mjs';

export const WIDTHS = [
  { name: 'desktop', width: 1280, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];

/** Everything that sticks out: of the viewport, or of the card/main box that contains it (unless clipped by a scroller). */
export async function overflowOf(page) {
  return page.evaluate(() => {
    const doc = document.documentElement;
    const problems = [];
    if (doc.scrollWidth > doc.clientWidth + 1) problems.push(`page scrolls sideways: ${doc.scrollWidth} > ${doc.clientWidth}`);
    const clipped = (el, stop) => {
      for (let p = el.parentElement; p && p !== stop; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o !== 'visible') return true;
      }
      return false;
    };
    const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''}`;
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      // Entirely left of the page (the old "left: -9999px" way of hiding a label for screen readers): it cannot
      // make the page scroll and nobody sees it spill.
      if (r.right <= 0) continue;
      if (r.right > doc.clientWidth + 1 && !clipped(el, document.body)) {
        problems.push(`${describe(el)} ends at ${Math.round(r.right)} px, beyond the ${doc.clientWidth} px viewport`);
        continue;
      }
      const box = el.parentElement?.closest('.card, main');
      if (!box) continue;
      const b = box.getBoundingClientRect();
      if ((r.right > b.right + 1 || r.left < b.left - 1) && !clipped(el, box)) {
        problems.push(`${describe(el)} spills outside ${describe(box)} (${Math.round(r.left)}–${Math.round(r.right)} vs ${Math.round(b.left)}–${Math.round(b.right)})`);
      }
    }
    return problems.slice(0, 10);
  });
}

/**
 * Opens each page at each width in `page` (a tab of a signed-in context), screenshots it and asserts no overflow;
 * `check(page)` adds page-specific checks. The sign-in tab itself is reused: closing a context's only tab and opening
 * another at once is a race headless Chromium sometimes loses ("Failed to open a new tab").
 */
export async function checkPages(page, issuer, pages) {
  const measured = [];
  for (const { path, name, check } of pages) {
    for (const w of WIDTHS) {
      await page.setViewportSize({ width: w.width, height: w.height });
      const response = await page.goto(`${issuer}${path}`);
      assert.equal(response.status(), 200, `${path} answers 200`);
      // Open every "details" so the summaries' hidden content is measured too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await screenshot(page, `${name}-${w.name}`);
      const problems = await overflowOf(page);
      assert.deepEqual(problems, [], `${path} at ${w.width} px overflows: ${problems.join('; ')}`);
      if (check) await check(page, w);
      measured.push(`${path}@${w.width}`);
    }
  }
  return measured;
}

/** The account pages of a signed-in user and the platform admin's pages, with what each must show. */
export async function checkAccountAndAdminPages(browser, issuer, { owner, platform }) {
  const ownerContext = await browser.newContext();
  const measured = await checkPages(await signIn(ownerContext, issuer, owner), issuer, [
    {
      path: '/account/connect', name: 'account-connect',
      check: async (page) => {
        const line = await page.locator('code.cmd').first().innerText();
        assert.match(line, /^curl -fsSL \S+\/install\/backlog-mcp\.cjs \| node - --url \S+\/p\/\S+\/mcp --name \S+$/);
        assert.match(await page.locator('a[data-install="vscode"]').first().getAttribute('href'), /^vscode:mcp\/install\?/);
        assert.match(await page.locator('a[data-install="cursor"]').first().getAttribute('href'), /^cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install\?name=/);
      },
    },
    {
      path: '/account/apps', name: 'account-apps',
      check: async (page) => {
        const text = await page.innerText('main');
        assert.match(text, /\d[\d,]* of [\d,]+ calls today/, 'each project shows today\'s calls against its quota');
        assert.match(text, /Full access|Read only|\d+ of 14 permissions/, 'access is summarised');
        assert.ok(await page.locator('svg.spark').count() > 0, 'a 14-day chart is drawn');
      },
    },
    { path: '/account/api-keys', name: 'account-api-keys' },
  ]);
  await ownerContext.close();
  const adminContext = await browser.newContext();
  measured.push(...await checkPages(await signIn(adminContext, issuer, platform), issuer, [
    {
      path: '/admin', name: 'admin-workspaces',
      check: async (page) => assert.match(await page.innerText('main'), /\d+ today · \d+ in 14 days/, 'workspace usage is shown'),
    },
    {
      path: '/admin/audit?project=prj_acme', name: 'admin-audit',
      check: async (page) => {
        assert.ok(await page.locator('#audit-log tbody tr').count() > 0, 'the audit log lists the calls of the run');
        const hashes = await page.locator('#audit-log td[data-label="Arguments"] code').allInnerTexts();
        for (const h of hashes) assert.match(h, /^[0-9a-f]{12}…$|^—$/, 'arguments appear only as a hash');
      },
    },
    {
      path: '/admin/audit?project=prj_acme&tool=get_project&outcome=ok', name: 'admin-audit-filtered',
      check: async (page) => {
        const tools = await page.locator('#audit-log tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.tool));
        assert.ok(tools.length > 0 && tools.every((t) => t === 'get_project'), `filtered by tool: ${tools}`);
      },
    },
  ]));
  await adminContext.close();
  return measured;
}
