// A tool error as every official client reads it: `isError: true` with the JSON error object (error_type, message,
// hint, next_action, …) as its one text block and no structuredContent, which clients check against the tool's
// outputSchema (the success shape; the v1 SDK throws when it does not match).
import { assert } from './steps.mjs';

/** The error object of `result`, after checking the shape above; `what` names the call in failures. */
export function toolError(result, what) {
  const shown = JSON.stringify(result);
  assert.equal(result.isError, true, `${what} is a tool error: ${shown}`);
  assert.ok(!('structuredContent' in result), `${what}: a tool error carries no structuredContent: ${shown}`);
  assert.equal(result.content?.length, 1, `${what}: a tool error is one text block: ${shown}`);
  assert.equal(result.content[0].type, 'text', `${what}: a tool error is one text block: ${shown}`);
  const error = JSON.parse(result.content[0].text);
  assert.equal(typeof error.error_type, 'string', `${what}: the error object names its error_type: ${shown}`);
  assert.equal(typeof error.hint, 'string', `${what}: the error object has a hint: ${shown}`);
  return error;
}

/** The id of no item: well-formed, so the tool itself looks it up and answers NOT_FOUND. */
export const MISSING_ITEM = 'itm_e2e_no_such_item';

/** Calls get_item on an id that does not exist and checks the tool error an agent reads from it. */
export async function getMissingItem(call, agent, projectId, what) {
  const error = toolError(await call(agent, projectId, 'get_item', { id: MISSING_ITEM }), what);
  assert.equal(error.error_type, 'NOT_FOUND', `${what}: ${JSON.stringify(error)}`);
  assert.equal(error.next_action?.tool, 'search', `${what}: the error names the call that helps`);
  return error;
}
