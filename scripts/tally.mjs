// tally.mjs - the bookkeeping of the test runners that are plain Node scripts (spec/browser,
// spec/playground, spec/bundlers): one line per test ("ok   name" or "FAIL name" with the error),
// the closing "N passed, N failed" line that npm test sums (scripts/test.mjs), a test wrapper with a
// time limit, and the two assertions they share.
// Invariant: every test a runner starts ends as exactly one ok or FAIL line, timed out or not.

let passed = 0;
let failed = 0;

/** Records the outcome of test `name`: error null for a pass, else what failed. */
export function report(name, error) {
  if (error === null) {
    passed++;
    console.log(`ok   ${name}`);
    return;
  }
  failed++;
  console.log(
    `FAIL ${name}\n     ${String(error?.stack ?? error)
      .split("\n")
      .join("\n     ")}`,
  );
}

/** Prints the closing line; returns the exit status the runner should end with. */
export function summary() {
  console.log(`${passed} passed, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

/** `promise`, or a rejection naming `what` after `ms` milliseconds. */
export function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms);
    }),
  ]);
}

/** Runs test `fn` (at most `ms` milliseconds when given) and reports it; true when it passed. */
export async function test(name, fn, ms) {
  try {
    const run = Promise.resolve().then(fn);
    await (ms === undefined ? run : withTimeout(run, ms, name));
    report(name, null);
    return true;
  } catch (e) {
    report(name, e);
    return false;
  }
}

export function check(cond, message) {
  if (!cond) throw new Error(message);
}

/** Deep equality by JSON text, the way the runners compare what a page returned. */
export function eq(actual, expected, what) {
  const a = JSON.stringify(actual);
  const b = JSON.stringify(expected);
  if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`);
}
