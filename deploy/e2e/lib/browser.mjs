// Headless Chromium (Debian's package) driven by playwright-core: the user's side of the OAuth dance.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import path from 'node:path';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}: install Debian's chromium (apt-get install chromium) or set CHROMIUM`);
  }
  return chromium.launch({ executablePath, headless: true, args: FLAGS });
}

export async function screenshot(page, name) {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Logs in on the auth-service login form if the page shows it. */
export async function loginIfAsked(page, user) {
  if (await page.locator('input[name="email"]').count() === 0) return false;
  await page.fill('input[name="email"]', user.email);
  await page.fill('input[name="password"]', user.password);
  await Promise.all([page.waitForLoadState('domcontentloaded'), page.click('#login')]);
  return true;
}

/** Signs a user in on the issuer directly (for the account and admin pages). */
export async function signIn(context, issuer, user) {
  const page = await context.newPage();
  await page.goto(`${issuer}/login`);
  await loginIfAsked(page, user);
  return page;
}

/**
 * Opens the authorization URL, logs in, checks the consent page and approves. Answers what the consent page showed:
 * [{scope, disabled, label}], and the project/client text.
 */
export async function approveConsent(context, authorizationUrl, user, { screenshotName, deny = false } = {}) {
  const page = await context.newPage();
  await page.goto(authorizationUrl.toString());
  await loginIfAsked(page, user);
  try {
    await page.waitForSelector('#approve', { timeout: 15000 });
  } catch (e) {
    await screenshot(page, 'consent-missing');
    const body = (await page.innerText('body').catch(() => '')).slice(0, 1500);
    throw new Error(`no consent page at ${page.url()}: ${body}`);
  }
  const scopes = await page.$$eval('input[name="scope"]', (inputs) => inputs.map((i) => {
    const label = (i.closest('label') || document.querySelector(`label[for="${i.id}"]`) || i.parentElement);
    return { scope: i.value, disabled: i.disabled, checked: i.checked, label: (label?.innerText || '').trim() };
  }));
  const text = await page.innerText('body');
  if (screenshotName) await screenshot(page, screenshotName);
  const button = deny ? '#deny' : '#approve';
  await page.click(button);
  return { page, scopes, text };
}
