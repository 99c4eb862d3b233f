// run.mjs - browser tests of the playground (web/): builds it (web/build.mjs, into a temporary
// folder), serves it with web/serve.mjs's server (cross-origin isolated, and a second time without
// the COOP/COEP headers) and drives it in headless Chromium with playwright-core, through its UI only:
// running code from the editor (button and Ctrl+Enter), streamed output, errors with the line
// marked, the REPL (expressions, statements, continuation lines, history), _home kept across a
// reload, budgets, stopping an infinite loop, a snapshot downloaded and restored into a fresh
// browser profile (a coroutine continues), a phone-sized viewport, and no console errors or 404s.
// Saves screenshots (desktop 1280x800, phone 390x844) and the downloaded snapshot under
// spec/playground/results/ for a person to look at.
//   node spec/playground/run.mjs       (needs `npm run build`; npm test builds first)
//   env: CHROMIUM=/path/to/chromium (default /usr/bin/chromium, see scripts/chromium.mjs), VERBOSE=1
// Prints one line per test and a final "N passed, N failed"; exit code 1 on any failure. A missing
// Chromium or build is ONE failure with the reason, never a silent pass.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromiumPath, CHROMIUM_FLAGS } from "../../scripts/chromium.mjs";
import { check, eq, report, summary, test as runTest } from "../../scripts/tally.mjs";
import { buildWeb, totals } from "../../web/build.mjs";
import { startServer } from "../../web/serve.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const RESULTS = join(ROOT, "spec/playground/results");
const VERBOSE = process.env.VERBOSE === "1";
const TEST_TIMEOUT_MS = 45_000;
const STEP_TIMEOUT_MS = 20_000;

function finish() {
  process.exit(summary());
}

function fatal(message) {
  report("playground test setup", message);
  finish();
}

// ==== Prerequisites ====

let executablePath;
try {
  executablePath = chromiumPath();
} catch (e) {
  fatal(e.message);
}

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  fatal(`playwright-core cannot be imported (${e.message}): run npm ci`);
}

const outdir = mkdtempSync(join(tmpdir(), "lua-playground-"));
let sizes;
try {
  sizes = await buildWeb({ outdir });
} catch (e) {
  fatal(`building the playground failed: ${e.message}`);
}
const { start: pageSize, lazy: peerSize } = totals(sizes);
console.log(
  `built page: ${pageSize.bytes} bytes (${pageSize.gzip} gzip) loaded at start, ` +
    `${peerSize.bytes} bytes (${peerSize.gzip} gzip) more for wasmoon; ` +
    Object.entries(sizes)
      .map(([f, s]) => `${f} ${s.bytes}/${s.gzip}`)
      .join(", "),
);
rmSync(RESULTS, { recursive: true, force: true });
mkdirSync(RESULTS, { recursive: true });

// ==== Browser, servers, pages ====

const isolatedServer = await startServer({ root: outdir, isolated: true });
const plainServer = await startServer({ root: outdir, isolated: false });
const browser = await chromium.launch({ executablePath, args: CHROMIUM_FLAGS, timeout: 60_000 });

/** Console errors, uncaught page errors and failed requests of every page, by page label. */
const problems = [];
const contexts = [];

async function newContext(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  contexts.push(context);
  return context;
}

/** Opens the playground in `context` and waits until the interpreter is ready. */
async function openPage(context, { server = isolatedServer, label = "page" } = {}) {
  const page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on("console", (m) => {
    if (VERBOSE) console.log(`  [${label} console.${m.type()}] ${m.text()}`);
    if (m.type() === "error") problems.push(`${label}: console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`${label}: uncaught: ${e.message}`));
  page.on("dialog", (d) => void d.accept());
  await page.goto(server.url);
  await waitStatus(page, /^Ready\./);
  return page;
}

async function status(page) {
  return (await page.textContent("#status")) ?? "";
}

async function waitStatus(page, re) {
  try {
    await page.waitForFunction((src) => new RegExp(src).test(document.getElementById("status").textContent), re.source);
  } catch {
    throw new Error(`status never matched ${re}: it is ${JSON.stringify(await status(page))}`);
  }
}

async function output(page) {
  return (await page.textContent("#output")) ?? "";
}

async function clearOutput(page) {
  await page.click("#clear-output");
}

/** The editor's lines (CodeMirror renders one .cm-line per line while the text fits the view). */
async function editorLines(page) {
  return page.$$eval(".cm-line", (els) => els.map((e) => e.textContent));
}

/** Replaces the editor's text (one input event, as a paste: no auto-indentation). */
async function setCode(page, code) {
  await page.click(".cm-content");
  await page.keyboard.press("Control+a");
  await page.keyboard.press("Delete");
  await page.keyboard.insertText(code);
  const text = (await editorLines(page)).join("\n");
  check(text.replace(/\n+$/, "") === code.replace(/\n+$/, ""), `editor text is ${JSON.stringify(text)}`);
}

/** Runs the editor's code with the Run button and waits for the run to end. */
async function runEditor(page) {
  await page.click("#run");
  await waitStatus(page, /^(Ran in|\w+ error)/);
}

/** Types a REPL entry and presses Enter; waits until the entry has been served. */
async function repl(page, line) {
  await page.fill("#repl-input", line);
  await page.press("#repl-input", "Enter");
  await page.waitForFunction(() => !document.getElementById("run").disabled);
}

/** Sets a settings field as a user does (the change event) and waits until the worker applied it. */
async function setField(page, selector, value) {
  await page.fill(selector, value);
  await page.locator(selector).dispatchEvent("change");
  await waitStatus(page, /^Settings applied/);
}

async function chooseExample(page, id) {
  await page.selectOption("#examples", id);
}

async function test(name, fn) {
  await runTest(name, fn, TEST_TIMEOUT_MS);
}

async function cleanup() {
  for (const c of contexts) await c.close().catch(() => {});
  await browser.close().catch(() => {});
  isolatedServer.server.close();
  plainServer.server.close();
  rmSync(outdir, { recursive: true, force: true });
}

// ==== Tests ====

const started = Date.now();
const ctx = await newContext();
let page = null;

await test("the page loads cross-origin isolated; the worker starts with an empty _home", async () => {
  page = await openPage(ctx, { label: "desktop" });
  eq(await page.evaluate(() => crossOriginIsolated), true, "crossOriginIsolated");
  check(/Nothing saved yet/.test(await status(page)), `status: ${await status(page)}`);
  check(/_home = external table \(0 entries\)/.test(await page.textContent("#tree-home")), "empty _home tree");
  const lazy = isolatedServer.requests.filter(([, path]) => /peer-worker|glue\.wasm/.test(path));
  eq(lazy, [], "wasmoon files requested before the comparison");
});

await test("Run: printed output, returned values, inspector and memory update", async () => {
  await runEditor(page); // the first example is in the editor of a fresh profile
  const out = await output(page);
  check(out.includes("hello from Lua 5.4\nruns so far (kept in _home):\t1\n"), `output: ${out}`);
  check(out.includes("⇒ 1, 3, 3.5"), `returned values in ${JSON.stringify(out)}`);
  check(/^Ran in [\d.]+ ms\.$/.test(await status(page)), `status: ${await status(page)}`);
  check((await page.textContent("#tree-home")).includes("visits = 1"), "_home.visits in the inspector");
  check(
    (await page.textContent("#tree-globals")).includes('greeting = "hello from Lua 5.4"'),
    "global greeting in the inspector",
  );
  check(/\d/.test(await page.textContent("#mem-lua")), "Lua heap figure");
  check(/pages/.test(await page.textContent("#mem-pages")), "wasm pages figure");
  check(/saved to IndexedDB at/.test(await page.textContent("#saved")), "autosave note");
});

await test("Ctrl+Enter runs; output streams while the run goes on", async () => {
  await clearOutput(page);
  await setCode(
    page,
    'print("first")\nlocal t = os.clock()\nwhile os.clock() - t < 1.5 do end\nprint("second")\nreturn "end"',
  );
  await page.click(".cm-content");
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(() => document.getElementById("output").textContent.includes("first"));
  const during = { out: await output(page), running: await page.isEnabled("#stop"), status: await status(page) };
  check(!during.out.includes("second"), `"second" arrived with "first": ${JSON.stringify(during.out)}`);
  check(during.running && during.status === "Running…", `the run was over when "first" arrived: ${during.status}`);
  await waitStatus(page, /^Ran in/);
  check((await output(page)).includes('second\n⇒ "end"'), `output: ${await output(page)}`);
});

await test("an error shows its message and traceback, and marks its line in the editor", async () => {
  await clearOutput(page);
  await chooseExample(page, "errors");
  await runEditor(page);
  const out = await output(page);
  const m = /input:(\d+): expected a number, got string\nstack traceback:\n/.exec(out);
  check(m, `error message and traceback in ${JSON.stringify(out)}`);
  check(/\[C\]: in function 'error'/.test(out), `traceback frames: ${out}`);
  check(/^runtime error \(line \d+\)/.test(await status(page)), `status: ${await status(page)}`);
  const marked = await page.$$eval(".cm-error-line", (els) => els.map((e) => e.textContent));
  eq(marked.length, 1, "marked lines");
  const code = await editorLines(page);
  eq(marked[0], code[Number(m[1]) - 1], `the marked line is line ${m[1]}`);
  check(marked[0].includes("check(v)"), `marked line: ${marked[0]}`);
  await page.click(".cm-content");
  await page.keyboard.type(" ");
  eq(await page.$$eval(".cm-error-line", (els) => els.length), 0, "marks after an edit");
});

await test("REPL: expressions print, statements run, same state as the editor, continuation, history", async () => {
  await clearOutput(page);
  await repl(page, "greeting");
  await repl(page, "x = 6 * 7");
  await repl(page, "x, x / 2, 'two', nil");
  await repl(page, "for i = 1, 2 do");
  eq(await page.textContent("#repl-prompt"), ">>", "prompt after an incomplete entry");
  await page.press("#repl-input", "End");
  await page.keyboard.insertText("print('i=' .. i) end");
  await page.press("#repl-input", "Enter");
  await page.waitForFunction(() => document.getElementById("repl-prompt").textContent === ">");
  await page.waitForFunction(() => !document.getElementById("run").disabled);
  await repl(page, "error('boom')");
  const out = await output(page);
  for (const s of [
    "> greeting\nhello from Lua 5.4\n",
    "> x = 6 * 7\n",
    "> x, x / 2, 'two', nil\n42\t21.0\ttwo\tnil\n",
    "i=1\ni=2\n",
    "stdin:1: boom\nstack traceback:",
  ])
    check(out.includes(s), `REPL output lacks ${JSON.stringify(s)}: ${JSON.stringify(out)}`);
  check((await page.textContent("#tree-globals")).includes("x = 42"), "x in the globals tree");
  await page.click("#repl-input");
  await page.press("#repl-input", "ArrowUp");
  eq(await page.inputValue("#repl-input"), "error('boom')", "history, one up");
  await page.press("#repl-input", "ArrowUp");
  eq(await page.inputValue("#repl-input"), "for i = 1, 2 do\nprint('i=' .. i) end", "history, two up");
  await page.press("#repl-input", "ArrowDown");
  await page.press("#repl-input", "ArrowDown");
  eq(await page.inputValue("#repl-input"), "", "history, back down to the draft");
});

await test("reload: _home (with a closure and its upvalue) is intact, globals are not", async () => {
  await chooseExample(page, "closure");
  await clearOutput(page);
  await runEditor(page);
  await runEditor(page);
  check((await output(page)).includes("counter:\t2"), `output: ${await output(page)}`);
  await page.reload();
  await waitStatus(page, /^Ready\. _home restored from IndexedDB\.$/);
  const home = await page.textContent("#tree-home");
  check(home.includes("visits = 1") && /counter = function \(input:\d+\)/.test(home), `_home tree: ${home}`);
  // the editor text came back too (localStorage)
  check((await page.textContent(".cm-content")).includes("_home.counter()"), "editor text after reload");
  await clearOutput(page);
  await runEditor(page);
  check((await output(page)).includes("counter:\t3"), `after reload: ${await output(page)}`);
  await repl(page, "greeting");
  check((await output(page)).includes("> greeting\nnil\n"), `globals after reload: ${await output(page)}`);
});

await test("budgets: a budgeted infinite loop stops with the limit error; the state stays usable", async () => {
  await repl(page, "x = 42");
  await clearOutput(page);
  await chooseExample(page, "runaway");
  await page.waitForFunction(() => document.getElementById("instruction-limit").value === "10000000");
  await waitStatus(page, /changed the settings/);
  await runEditor(page);
  const out = await output(page);
  check(/looping\.\.\.\n(input:\d+: )?instruction limit exceeded/.test(out), `output: ${JSON.stringify(out)}`);
  check(!out.includes("never printed"), "pcall caught the limit");
  check(/^limit error/.test(await status(page)), `status: ${await status(page)}`);
  await repl(page, "x");
  check((await output(page)).includes("> x\n42\n"), "globals kept through the budget change and the limit error");
  // a timeout as well
  await setField(page, "#instruction-limit", "");
  await setField(page, "#timeout", "300");
  await clearOutput(page);
  await setCode(page, "while true do end");
  await runEditor(page);
  check(
    /^timeout\n/.test(await output(page).then((o) => o.split("\n").slice(1).join("\n"))),
    `output: ${await output(page)}`,
  );
  await setField(page, "#timeout", "");
  eq(await page.inputValue("#instruction-limit"), "", "no instruction limit left for the next tests");
  await repl(page, "x");
  check((await output(page)).includes("> x\n42\n"), "state after the timeout");
});

await test("the fib benchmark: its time, and the same code in wasmoon (loaded on demand)", async () => {
  await clearOutput(page);
  await chooseExample(page, "fib");
  await runEditor(page);
  check(/fib\(30\) = 832040 in [\d.]+ ms\n/.test(await output(page)), `output: ${await output(page)}`);
  check(/^Ran in \d+ ms\.$/.test(await status(page)), `status: ${await status(page)}`);
  // the same program in wasmoon, loaded now
  await page.click("#compare");
  await waitStatus(page, /^wasmoon: (ran in|error after)/);
  const st = await status(page);
  console.log(`     fib(30): ${st}`);
  check(/^wasmoon: ran in \d+ ms · this library: \d+ ms \(its last run\)\.$/.test(st), `status: ${st}`);
  check(
    /▶ wasmoon \(PUC Lua 5\.4 in wasm\), in a fresh state\nfib\(30\) = 832040 in [\d.]+ ms\n/.test(await output(page)),
    `wasmoon output: ${await output(page)}`,
  );
});

await test("every example runs in a fresh state as it says", async () => {
  const c = await newContext();
  const p = await openPage(c, { label: "examples" });
  const ids = await p.$$eval("#examples option", (os) => os.map((o) => o.value).filter((v) => v !== ""));
  check(ids.length >= 10, `examples: ${ids}`);
  /** The status an example ends with: most run cleanly; two are about errors. */
  const expected = { runaway: /^limit error/, errors: /^runtime error \(line \d+\)/ };
  const bad = [];
  for (const id of ids) {
    await clearOutput(p);
    await chooseExample(p, id);
    await runEditor(p);
    const st = await status(p);
    if (!(expected[id] ?? /^Ran in/).test(st)) bad.push(`${id}: ${st}: ${await output(p)}`);
  }
  eq(bad, [], "examples that did not end as expected");
  await p.close();
});

/** Starts `while true do end`, checks the page stays responsive, presses Stop; returns the status. */
await test("a flood of output is cut at 4 MiB per run and the log keeps its last 400,000 characters", async () => {
  await clearOutput(page);
  await setCode(page, "for i = 1, 1000000 do print(string.rep('x', 9)) end print('after the flood')");
  await runEditor(page);
  const r = await page.evaluate(() => {
    const t = document.getElementById("output").textContent;
    return { length: t.length, tail: t.slice(-200) };
  });
  check(/\[output truncated: more than 4194304 bytes in one run\]\n$/.test(r.tail), `tail: ${JSON.stringify(r.tail)}`);
  check(r.length <= 400_000, `the log holds ${r.length} characters`);
  check(/^Ran in/.test(await status(page)), `status: ${await status(page)}`);
  await repl(page, "1 + 1");
  check((await output(page)).endsWith("> 1 + 1\n2\n"), "the page works after the flood");
});

/**
 * Runs `code` (which never ends) from the editor, checks that the page stays
 * responsive, presses Stop; returns the status after the stop, the output after asking for a _home
 * value and a global set before.
 */
async function stopRunaway(p, code) {
  for (const f of ["#instruction-limit", "#timeout"]) if ((await p.inputValue(f)) !== "") await setField(p, f, "");
  await repl(p, "_home.before_stop = 'kept'; survivor = 'global'");
  await clearOutput(p);
  await setCode(p, code);
  await p.click("#run");
  await waitStatus(p, /^Running…$/);
  await p.waitForTimeout(300);
  // the page is not frozen: it answers and its controls work while Lua spins in the worker
  const t0 = Date.now();
  const answer = await p.evaluate(() => new Promise((ok) => requestAnimationFrame(() => ok(1 + 1))));
  eq(answer, 2, "page evaluate while running");
  check(Date.now() - t0 < 2000, `the page took ${Date.now() - t0} ms to answer`);
  await p.fill("#repl-input", "typed while running");
  eq(await p.inputValue("#repl-input"), "typed while running", "typing while running");
  await p.fill("#repl-input", "");
  eq(await status(p), "Running…", "status while running");
  await p.click("#stop");
  await waitStatus(p, /^(Stopped|Interrupted)/);
  const after = await status(p);
  await repl(p, "_home.before_stop, survivor");
  return {
    status: after,
    out: await output(p),
  };
}

/** Stopped by interrupt(): the error, everything kept. */
function expectInterrupted(r) {
  eq(r.status, "Interrupted. The state is kept.", "status after the stop");
  check(/\ninterrupted!\nstack traceback:\n/.test(r.out), `interrupt error in ${JSON.stringify(r.out)}`);
  check(r.out.includes("■ Interrupted"), `stop note in ${JSON.stringify(r.out)}`);
  check(r.out.endsWith("kept\tglobal\n"), `state after an interrupt: ${JSON.stringify(r.out)}`);
}

/** Stopped by restarting the worker: _home kept, globals gone, and the page says so. */
function expectRestarted(r) {
  check(/^Stopped\. Ready\. _home restored from IndexedDB\.$/.test(r.status), `status: ${r.status}`);
  check(r.out.includes("■ Stopped: the worker running Lua was terminated"), `stop note: ${r.out}`);
  check(r.out.endsWith("kept\tnil\n"), `_home kept, globals gone after a restart: ${JSON.stringify(r.out)}`);
}

const LOOP = "while true do end";

await test("stop: an infinite loop ends, the page stays responsive meanwhile, the state is kept", async () => {
  const r = await stopRunaway(page, LOOP);
  expectInterrupted(r);
});

await test("stop on a page that is not cross-origin isolated works the same", async () => {
  const c = await newContext();
  const p = await openPage(c, { server: plainServer, label: "not isolated" });
  eq(await p.evaluate(() => crossOriginIsolated), false, "crossOriginIsolated");
  const r = await stopRunaway(p, LOOP);
  expectInterrupted(r);
  await p.close();
});

await test("stop inside a builtin that never pauses (a sort's comparator): the worker restarts", async () => {
  const t0 = Date.now();
  const r = await stopRunaway(page, "table.sort({ 3, 2, 1 }, function(a, b) while true do end end)");
  expectRestarted(r);
  check(Date.now() - t0 < 15_000, `stopping took ${Date.now() - t0} ms`);
});

await test("snapshot: download, then restore into a fresh browser profile: the coroutine continues", async () => {
  await chooseExample(page, "coroutines");
  await clearOutput(page);
  await runEditor(page);
  await repl(page, "gen()");
  check((await output(page)).endsWith("0\n1\n1\n2\n3\n> gen()\n5\n"), `before: ${await output(page)}`);
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#download")]);
  check(/^lua-state-\d{8}-\d{6}\.lwps$/.test(download.suggestedFilename()), download.suggestedFilename());
  const file = join(RESULTS, "snapshot.lwps");
  await download.saveAs(file);
  eq(readFileSync(file).subarray(0, 4).toString("latin1"), "LWPS", "snapshot magic");
  await waitStatus(page, /^Snapshot downloaded/);

  const fresh = await openPage(await newContext(), { label: "fresh profile" });
  check(/Nothing saved yet/.test(await status(fresh)), "the fresh profile starts empty");
  await repl(fresh, "gen");
  check((await output(fresh)).includes("> gen\nnil\n"), "no gen before the restore");
  await fresh.setInputFiles("#upload", file);
  await waitStatus(fresh, /^Restored snapshot\.lwps\.$/);
  await repl(fresh, "gen()");
  await repl(fresh, "gen()");
  check((await output(fresh)).endsWith("> gen()\n8\n> gen()\n13\n"), `after restore: ${await output(fresh)}`);
  const home = await fresh.textContent("#tree-home");
  check(home.includes("before_stop") && home.includes("visits = 1"), `restored _home: ${home}`);
  // a file that is not a snapshot: a clear error, the state untouched
  await fresh.setInputFiles("#upload", {
    name: "junk.lwps",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("junk"),
  });
  await waitStatus(fresh, /^Not restored: bad snapshot/);
  await repl(fresh, "gen()");
  check((await output(fresh)).endsWith("> gen()\n21\n"), `after a bad restore: ${await output(fresh)}`);
  await fresh.close();
});

await test("reset state: fresh globals, empty _home, nothing saved (also after a reload)", async () => {
  await page.click("#reset");
  await waitStatus(page, /^State reset\.$/);
  check(/_home = external table \(0 entries\)/.test(await page.textContent("#tree-home")), "empty _home");
  await page.reload();
  await waitStatus(page, /^Ready\. Nothing saved yet/);
  await repl(page, "gen");
  check((await output(page)).endsWith("> gen\nnil\n"), "globals cleared");
});

await test("desktop screenshot (1280x800)", async () => {
  await chooseExample(page, "seed-ext");
  await clearOutput(page);
  await runEditor(page);
  check((await output(page)).includes("entries now in _io.batch:\t1000"), `seed example: ${await output(page)}`);
  await chooseExample(page, "coroutines");
  await clearOutput(page);
  await runEditor(page);
  await repl(page, "gen()");
  await repl(page, "_home.notes = { 'persistent', 'inspectable', n = 2 }");
  await chooseExample(page, "closure");
  await runEditor(page);
  await page.click("#tree-home summary >> text=notes");
  check(
    await page.locator("#tree-home .tree-value", { hasText: '"inspectable"' }).isVisible(),
    "an opened branch of _home",
  );
  await page.screenshot({ path: join(RESULTS, "desktop.png") });
});

await test("phone viewport (390x844): no horizontal scrolling, controls reachable, screenshot", async () => {
  const p = await openPage(await newContext({ width: 390, height: 844 }), { label: "phone" });
  await runEditor(p);
  const layout = await p.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    run: document.getElementById("run").getBoundingClientRect().right,
    editor: document.getElementById("editor").getBoundingClientRect().width,
  }));
  check(layout.scrollWidth <= 390, `page is ${layout.scrollWidth}px wide`);
  check(layout.run <= 390 && layout.editor > 300, `layout: ${JSON.stringify(layout)}`);
  await p.screenshot({ path: join(RESULTS, "phone.png") });
  await p.screenshot({ path: join(RESULTS, "phone-full.png"), fullPage: true });
});

await test("accessibility: every control has a label", async () => {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("button, input, select, textarea, [contenteditable=true], canvas")]
      .filter((el) => {
        const aria = el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
        const text = el.tagName === "BUTTON" && el.textContent.trim() !== "";
        return !aria && !text && !(el.labels && el.labels.length > 0);
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
  eq(unlabelled, [], "controls without a label");
});

await test("no console errors, uncaught errors or missing files in any page", async () => {
  eq(problems, [], "problems");
  const missing = [...isolatedServer.requests, ...plainServer.requests].filter(([s]) => s !== 200);
  eq(missing, [], "requests that failed");
});

await cleanup();
console.log(`screenshots and the snapshot: ${RESULTS} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
finish();
