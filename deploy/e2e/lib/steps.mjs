// Named steps: every line the runner prints is `STEP <name>: ok` or `STEP <name>: FAILED: <why>`, so a failure in CI
// names the step that broke.
import assert from 'node:assert/strict';

export const results = [];

export async function step(name, fn) {
  const started = Date.now();
  try {
    const value = await fn();
    results.push({ name, ok: true, ms: Date.now() - started });
    console.log(`STEP ${name}: ok (${Date.now() - started} ms)`);
    return value;
  } catch (e) {
    results.push({ name, ok: false, ms: Date.now() - started, error: String(e?.stack || e) });
    console.log(`STEP ${name}: FAILED: ${e?.stack || e}`);
    throw new StepFailed(name, e);
  }
}

export class StepFailed extends Error {
  constructor(name, cause) {
    super(`step "${name}" failed: ${cause?.message || cause}`);
    this.step = name;
    this.cause = cause;
  }
}

/** Polls fn until it returns a truthy value or the time is up; answers that value and how long it took. */
export async function eventually(fn, { timeoutMs = 5000, intervalMs = 50, what = 'condition' } = {}) {
  const started = Date.now();
  let last;
  while (Date.now() - started < timeoutMs) {
    try {
      last = await fn();
      if (last) return { value: last, ms: Date.now() - started };
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last?.stack || JSON.stringify(last)}`);
}

export { assert };

/**
 * Runs a clean-up (closing a client or the browser) for at most `ms`: a clean-up that hangs (a stream that does not
 * close, a browser in a bad state) is reported and left behind, so the run still ends and says how it went.
 */
export async function cleanUp(what, fn, ms = 10000) {
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), ms); });
  try {
    const outcome = await Promise.race([Promise.resolve().then(fn).then(() => 'done'), late]);
    if (outcome === 'timeout') console.log(`clean-up: ${what} did not finish within ${ms} ms; left behind`);
  } catch (e) {
    console.log(`clean-up: ${what} failed: ${e?.message || e}`);
  } finally {
    clearTimeout(timer);
  }
}
