// Polling for a condition in the UI. The timeout only turns a hang into a readable failure; no
// test asserts how long anything takes.

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Calls probe() until accept(value) is true and returns that value. On timeout, throws with the
 * description and the last value seen, which usually says what went wrong.
 */
export async function waitFor(description, probe, accept = Boolean, timeoutMs = DEFAULT_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastError;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      lastError = undefined;
      if (accept(last)) return last;
    } catch (error) {
      lastError = error; // e.g. the element is being re-rendered: try again
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seen = lastError ? `error: ${lastError.message}` : `last value: ${JSON.stringify(last, null, 1)}`;
  throw new Error(`timed out waiting for ${description} (${seen})`);
}
