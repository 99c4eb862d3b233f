// run.mjs - browser tests: the built library (dist/host/*.js + build/lua.wasm) in a real headless
// Chromium, driven by playwright-core. A tiny node:http server on 127.0.0.1 (random port) serves
// dist/ and build/ plus a test page that imports dist/host/index.js as an ES module; each test runs
// in that page. Covers eval/print/getMemoryStats unchanged in the browser, await from Lua (runAsync,
// interrupt), JS objects by reference (a class instance, an array, a Map and a DOM element, the
// security model) and IndexedDBStorage:
// save, load in a new page and after a browser restart (same origin and profile, so the same
// IndexedDB), clearPersistedState, corrupted records (clear error, live _home kept), several keys.
//   node spec/browser/run.mjs           (npm test builds first; standalone, run `npm run build` first)
//   env: CHROMIUM=/path/to/chromium (default /usr/bin/chromium), VERBOSE=1 (browser console)
// Prints one line per test and a final "N passed, N failed". When Chromium is missing it is
// installed with apt-get if running as root; otherwise that is ONE failure with the reason, never a
// silent pass. Exit code 1 on any failure.

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { launchChromium } from "../../scripts/chromium.mjs";
import { check, eq, report, summary, test as runTest, withTimeout } from "../../scripts/tally.mjs";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TEST_TIMEOUT_MS = 30_000;
const VERBOSE = process.env.VERBOSE === "1";

function finish() {
  process.exit(summary());
}

/** Reports a setup problem as one failure and ends the run. */
function fatal(message) {
  report("browser test setup", message);
  finish();
}

// ==== Prerequisites: the build, Chromium, playwright-core ====

for (const f of ["dist/host/index.js", "build/lua.wasm"]) {
  if (!existsSync(join(ROOT, f))) fatal(`${f} is missing: run npm run build first`);
}

// ==== The HTTP server: dist/ and build/ of this package, plus the test page ====

const MIME = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".html": "text/html; charset=utf-8",
  ".ts": "text/plain",
};

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>lua-wasm-persistent browser test</title>
<script type="module">
  try {
    window.lib = await import("/dist/host/index.js");
    window.libReady = true;
  } catch (e) {
    window.libError = String((e && e.stack) || e);
  }
</script>
<script>
  window.pageErrors = [];
  addEventListener("error", (e) => pageErrors.push(String(e.message)));
  addEventListener("unhandledrejection", (e) => pageErrors.push("unhandled rejection: " + String(e.reason && e.reason.stack || e.reason)));
</script>
`;

/** Requests that got a 404 (a missing module or the wasm not found is a failure). */
const notFound = [];
/** Uncaught exceptions and unhandled rejections in any page. */
const pageErrors = [];

const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/favicon.ico") {
    res.writeHead(204);
    res.end();
    return;
  }
  if (url.pathname === "/" || url.pathname === "/index.html") {
    res.writeHead(200, { "content-type": MIME[".html"], "cache-control": "no-store" });
    res.end(PAGE);
    return;
  }
  const file = resolve(ROOT, "." + decodeURIComponent(url.pathname));
  const allowed = [join(ROOT, "dist") + sep, join(ROOT, "build") + sep].some((d) => file.startsWith(d));
  if (!allowed || !existsSync(file) || !statSync(file).isFile()) {
    notFound.push(url.pathname);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return;
  }
  res.writeHead(200, {
    "content-type": MIME[extname(file)] ?? "application/octet-stream",
    "cache-control": "no-store",
  });
  res.end(readFileSync(file));
});
await new Promise((done) => server.listen(0, "127.0.0.1", done));
const ORIGIN = `http://127.0.0.1:${server.address().port}`;

// ==== The browser ====

const profile = mkdtempSync(join(tmpdir(), "lua-wasm-chromium-"));
let context = null;

async function launch() {
  context = await launchChromium(profile);
}

/** A fresh page load of the test page, with lib (the library's exports) ready. */
async function openPage() {
  const page = await context.newPage();
  page.on("console", (m) => {
    if (VERBOSE || m.type() === "error") console.log(`     [browser ${m.type()}] ${m.text()}`);
  });
  page.on("pageerror", (e) => {
    pageErrors.push(e.message);
    console.log(`     [browser pageerror] ${e.message}`);
  });
  await page.goto(ORIGIN + "/", { waitUntil: "load" });
  await page.waitForFunction(() => window.libReady === true || window.libError !== undefined, null, {
    timeout: 15_000,
  });
  const error = await page.evaluate(() => window.libError);
  if (error !== undefined) throw new Error(`the page cannot import dist/host/index.js: ${error}`);
  return page;
}

async function cleanup() {
  try {
    await context?.close();
  } catch {
    /* already gone */
  }
  server.close();
  rmSync(profile, { recursive: true, force: true });
}

const test = (name, fn) => runTest(name, fn, TEST_TIMEOUT_MS);

// ==== Lua used by the tests ====

const DB = "lua-wasm-browser-test";

/** Fills _home with every kind of value the image must carry. */
const FILL = String.raw`
  local bytes = {}
  for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
  _home.allbytes = table.concat(bytes)
  _home.bin = "a\0b\255\254\0"
  _home.utf8 = "h\u{E9}llo \u{1F600}"
  _home.empty = ""
  _home.big = (1 << 53) + 1
  _home.neg = -((1 << 53) + 3)
  _home.maxi = math.maxinteger
  _home.mini = math.mininteger
  _home.zero = 0
  _home.half = 0.5
  _home.float_int = 3.0
  _home.yes = true
  _home.no = false
  local shared = { tag = "shared" }
  _home.nested = { a = { b = { c = "deep", list = { 10, 20, 30 } } }, "one", "two",
                   [true] = "bool key", [2.5] = "float key", [-7] = "neg key", pair = { shared, shared } }
  _home.nested.self = _home.nested
  _home.count = 41
  return ext.size(_home)
`;

/** Checks every value FILL stored; returns the list of mismatches (empty when all is well). */
const CHECK = String.raw`
  local bad = {}
  local function expect(what, got, want)
    if got ~= want or math.type(got) ~= math.type(want) then
      bad[#bad + 1] = what .. ": got " .. tostring(got) .. " (" .. (math.type(got) or type(got)) .. "), want " .. tostring(want)
    end
  end
  local bytes = {}
  for i = 0, 255 do bytes[#bytes + 1] = string.char(i) end
  expect("allbytes", _home.allbytes, table.concat(bytes))
  expect("#allbytes", #_home.allbytes, 256)
  expect("bin", _home.bin, "a\0b\255\254\0")
  expect("utf8", _home.utf8, "h\u{E9}llo \u{1F600}")
  expect("empty", _home.empty, "")
  expect("big", _home.big, 9007199254740993)
  expect("neg", _home.neg, -9007199254740995)
  expect("maxi", _home.maxi, math.maxinteger)
  expect("mini", _home.mini, math.mininteger)
  expect("zero", _home.zero, 0)
  expect("half", _home.half, 0.5)
  expect("float_int", _home.float_int, 3.0)
  expect("yes", _home.yes, true)
  expect("no", _home.no, false)
  local n = _home.nested
  expect("nested.a.b.c", n.a.b.c, "deep")
  expect("nested.a.b.list[3]", n.a.b.list[3], 30)
  expect("#list", #n.a.b.list, 3)
  expect("nested[1]", n[1], "one")
  expect("nested[2]", n[2], "two")
  expect("nested[true]", n[true], "bool key")
  expect("nested[2.5]", n[2.5], "float key")
  expect("nested[-7]", n[-7], "neg key")
  expect("nested.self == nested", rawequal(n.self, n), true)
  expect("pair shared", rawequal(n.pair[1], n.pair[2]), true)
  expect("pair tag", n.pair[2].tag, "shared")
  expect("count", _home.count, 41)
  return table.concat(bad, "; ")
`;

// ==== Tests ====

process.on("SIGTERM", () => {
  void cleanup().finally(() => process.exit(1));
});

try {
  await withTimeout(launch(), 90_000, "launching Chromium");
} catch (e) {
  await cleanup();
  fatal(`cannot launch Chromium: ${e.message}`);
}

let page = null;

await test("the test page imports dist/host/index.js as an ES module", async () => {
  page = await openPage();
  const names = await page.evaluate(() => Object.keys(window.lib).sort());
  for (const n of ["LuaPersistent", "Lua", "IndexedDBStorage", "MemoryStorage", "LuaError", "CorruptStateError"]) {
    check(names.includes(n), `export ${n} missing (got ${names.join(", ")})`);
  }
});

await test("eval, print output and return values work unchanged (bundled wasm found via import.meta.url)", async () => {
  const r = await page.evaluate(async () => {
    const lua = new window.lib.LuaPersistent();
    await lua.load();
    if (!lua.init()) return { error: lua.getLastError() };
    const a = lua.eval(
      'print("hello", 1 + 1, 2^53, "\\u{E9}") local t = {} for i = 1, 3 do t[i] = i * i end return table.concat(t, ","), 6 * 7, math.maxinteger, nil, true',
    );
    const b = lua.eval("local x = nil; return x.y", "=page");
    const err = lua.getLastError();
    lua.eval("counter = (counter or 0) + 1");
    const c = lua.eval("counter = counter + 1 return counter, string.format('%5.2f|%q', math.pi, 'a\\0b')");
    return {
      output: a.output,
      values: a.values.map((v) => (typeof v === "bigint" ? `${v}n` : v)),
      b,
      err,
      c: c.values,
    };
  });
  check(!r.error, `init failed: ${r.error}`);
  eq(r.output, "hello\t2\t9.007199254741e+15\t\u00e9\n", "print output");
  eq(r.values, ["1,4,9", 42, "9223372036854775807n", null, true], "returned values");
  eq(r.b, null, "eval of an erroring chunk");
  eq(r.err, "page:1: attempt to index a nil value (local 'x')", "error message");
  eq(r.c, [2, ' 3.14|"a\\0b"'], "state persists across eval");
});

await test("getMemoryStats and collectGarbage work in the browser", async () => {
  const r = await page.evaluate(async () => {
    const lua = new window.lib.LuaPersistent({ memoryLimit: 32 * 1024 * 1024 });
    await lua.load();
    lua.init();
    const before = lua.getMemoryStats();
    lua.eval("junk = {} for i = 1, 20000 do junk[i] = tostring(i) .. 'x' end");
    const during = lua.getMemoryStats();
    lua.eval("junk = nil");
    lua.collectGarbage();
    const after = lua.getMemoryStats();
    const oom = lua.eval("local t = {} for i = 1, 1e9 do t[i] = string.rep('x', 1000) .. i end");
    const oomError = lua.getLastError();
    const still = lua.eval("return 1 + 1");
    return { before, during, after, oom, oomError, still: still && still.value };
  });
  for (const f of ["lua_memory_used", "io_buffer_size", "wasm_pages", "total", "used", "free"]) {
    check(Number.isFinite(r.before?.[f]), `getMemoryStats().${f} = ${r.before?.[f]} (${JSON.stringify(r.before)})`);
  }
  eq(r.before.total, r.before.wasm_pages * 65536, "total = wasm_pages * 65536");
  const used = (s) => s.lua_memory_used;
  check(
    used(r.during) > used(r.before),
    `memory did not grow: ${JSON.stringify(r.before)} -> ${JSON.stringify(r.during)}`,
  );
  check(
    used(r.after) < used(r.during),
    `memory not reclaimed by collectGarbage: ${JSON.stringify(r.during)} -> ${JSON.stringify(r.after)}`,
  );
  eq(r.oom, null, "eval past the memory limit");
  check(/not enough memory/.test(r.oomError ?? ""), `memory limit error: ${r.oomError}`);
  eq(r.still, 2, "state usable after running out of memory");
});

await test("Lua.create/run (the idiomatic API) works in the browser", async () => {
  const r = await page.evaluate(async () => {
    const out = [];
    const lua = await window.lib.Lua.create({ stdout: (b) => out.push(new TextDecoder().decode(b)) });
    lua.run("x = 40 print('from run')");
    const v = lua.run("return x + 2, {1, 2, n = 'k'}");
    let thrown = null;
    try {
      lua.run("error('boom')");
    } catch (e) {
      thrown = { name: e.name, message: e.message, isLuaError: e instanceof window.lib.LuaError };
    }
    lua.close();
    return { v, out: out.join(""), thrown };
  });
  eq(r.v, [42, { 1: 1, 2: 2, n: "k" }], "run results");
  eq(r.out, "from run\n", "stdout hook");
  eq(r.thrown, { name: "LuaError", message: "input:1: boom", isLuaError: true }, "thrown error");
});

await test("runAsync: Lua awaits a promise (fetch-like, a timer), re-entrant calls, interrupt() (no setImmediate)", async () => {
  const r = await page.evaluate(async () => {
    const lua = await window.lib.Lua.create({ stdout: () => {} });
    lua.global.set("later", (v) => new Promise((ok) => setTimeout(() => ok(v), 5)));
    lua.global.set("blob", () => new Blob(["from a blob"]).text()); // a browser promise
    lua.global.set("peek", () => lua.global.get("x")); // a nested call from a JS function
    const values = await lua.runAsync(`
      x = 41
      local co = coroutine.wrap(function() return later(1) + peek() end)
      return co(), blob(), pcall(later, nil)`);
    let ticks = 0;
    const iv = setInterval(() => ticks++, 5);
    setTimeout(() => lua.interrupt(), 80);
    let stopped = null;
    try {
      await lua.runAsync("while true do end");
    } catch (e) {
      stopped = { message: e.message, kind: e.kind };
    }
    clearInterval(iv);
    const after = lua.run("return x");
    lua.close();
    return { values, stopped, ticks, after };
  });
  eq(r.values, [42, "from a blob", true, null], "awaited values");
  eq(r.stopped, { message: "interrupted!", kind: "limit" }, "interrupt() from a timer");
  check(r.ticks > 0, `timers ran while Lua ran (${r.ticks} ticks)`);
  eq(r.after, [41], "state usable after the interrupt");
});

await test("JS objects by reference in the browser: methods with this, arrays, Maps, a DOM element, security", async () => {
  const r = await page.evaluate(async () => {
    const { Lua, LuaTableRef, copy } = window.lib;
    const lua = await Lua.create({ stdout: () => {} });
    class Counter {
      n = 0;
      inc(by = 1) {
        return (this.n += by);
      }
    }
    const c = new Counter();
    const list = [10, 20];
    const m = new Map([["k", 1]]);
    const el = document.createElement("div");
    lua.global.set("c", c);
    lua.global.set("list", list);
    lua.global.set("m", m);
    lua.global.set("el", el);
    lua.global.set("cfg", copy({ a: 1 }));
    const v = lua.run(`c:inc() c:inc(5)
      list[#list + 1] = 30
      m.j = 2
      el.id = "from-lua" el:setAttribute("data-x", "y")
      local n = 0 for k, v in pairs(m) do n = n + v end
      return c.n, #list, list[1], list:join("-"), n, type(c), tostring(el):match("^js%.object"), type(cfg), el.tagName`);
    const blocked = [];
    for (const code of [
      "return c.constructor",
      "return c.constructor.constructor('return document')()",
      "return c.inc.constructor",
      "return el.ownerDocument.defaultView",
      "return getmetatable(c)",
    ]) {
      try {
        blocked.push(lua.run(code)[0]);
      } catch (e) {
        blocked.push(e.message);
      }
    }
    lua.run("t = {1, 2}");
    const t = lua.global.get("t", { proxy: true });
    t.set(3, "three");
    const live = [t instanceof LuaTableRef, lua.run("return #t, t[3]"), lua.run("return c")[0] === c];
    let stored = null;
    try {
      lua.run("_home.el = el");
    } catch (e) {
      stored = e.message;
    }
    lua.close();
    return { v, cn: c.n, list, m: [...m], id: el.id, attr: el.getAttribute("data-x"), blocked, live, stored };
  });
  eq(r.v, [6, 3, 10, "10-20-30", 3, "userdata", "js.object", "table", "DIV"], "results in Lua");
  eq(
    [r.cn, r.list, r.m, r.id, r.attr],
    [
      6,
      [10, 20, 30],
      [
        ["k", 1],
        ["j", 2],
      ],
      "from-lua",
      "y",
    ],
    "the live objects",
  );
  eq(
    r.blocked,
    [
      null,
      "input:1: attempt to index a nil value (field 'constructor')",
      "input:1: attempt to index a function value (field 'inc')",
      "input:1: access to globalThis from Lua is blocked",
      null,
    ],
    "security",
  );
  eq(r.live, [true, [3, "three"], true], "live Lua table and identity");
  eq(r.stored, "input:1: cannot store a js.object in an external table (copy it explicitly)", "persistence refused");
});

await test("IndexedDBStorage: fill _home and saveState", async () => {
  const r = await page.evaluate(
    async ({ FILL, DB }) => {
      const { LuaPersistent, IndexedDBStorage } = window.lib;
      const lua = new LuaPersistent({ storage: new IndexedDBStorage({ database: DB }) });
      await lua.load();
      lua.init();
      const size = lua.eval(FILL);
      if (!size) return { error: lua.getLastError() };
      const saved = await lua.saveState();
      return { size: size.value, saved, error: lua.getLastError(), info: lua.getTableInfo() };
    },
    { FILL, DB },
  );
  check(!r.error, `error: ${r.error}`);
  eq(r.saved, true, "saveState()");
  check(r.size >= 15, `ext.size(_home) = ${r.size}`);
  await page.close();
});

await test("IndexedDBStorage: a new page load (fresh instance) loads the saved state", async () => {
  page = await openPage();
  const r = await page.evaluate(
    async ({ CHECK, DB }) => {
      const { LuaPersistent, IndexedDBStorage } = window.lib;
      const lua = new LuaPersistent({ storage: new IndexedDBStorage({ database: DB }) });
      await lua.load();
      lua.init();
      const empty = lua.eval("return ext.size(_home)").value;
      const loaded = await lua.loadState();
      const error = lua.getLastError();
      const bad = lua.eval(CHECK);
      const js = lua.eval("return _home.big, _home.mini, _home.bin, _home.nested.a.b.list");
      return {
        empty,
        loaded,
        error,
        bad: bad ? bad.value : lua.getLastError(),
        js: js.values.map((v) => (typeof v === "bigint" ? `${v}n` : v)),
      };
    },
    { CHECK, DB },
  );
  eq(r.empty, 0, "_home before loadState");
  eq(r.loaded, true, `loadState() (error: ${r.error})`);
  eq(r.bad, "", "mismatches after loadState");
  eq(
    r.js,
    ["9007199254740993n", "-9223372036854775808n", "a\u0000b\ufffd\ufffd\u0000", [10, 20, 30]],
    "values seen from JS",
  );
});

await test("IndexedDBStorage: the state survives a browser restart (same profile)", async () => {
  await context.close();
  await launch();
  page = await openPage();
  const r = await page.evaluate(
    async ({ CHECK, DB }) => {
      const { LuaPersistent, IndexedDBStorage } = window.lib;
      const lua = new LuaPersistent({ storage: new IndexedDBStorage({ database: DB }) });
      await lua.load();
      lua.init();
      const loaded = await lua.loadState();
      return { loaded, error: lua.getLastError(), bad: lua.eval(CHECK)?.value };
    },
    { CHECK, DB },
  );
  eq(r.loaded, true, `loadState() after restart (error: ${r.error})`);
  eq(r.bad, "", "mismatches after restart");
});

await test("IndexedDBStorage: the record is binary data in object store 'images' under key 'home'", async () => {
  const r = await page.evaluate(async (DB) => {
    const db = await new Promise((ok, ko) => {
      const q = indexedDB.open(DB);
      q.onsuccess = () => ok(q.result);
      q.onerror = () => ko(q.error);
    });
    const stores = [...db.objectStoreNames];
    const v = await new Promise((ok, ko) => {
      const q = db.transaction("images").objectStore("images").get("home");
      q.onsuccess = () => ok(q.result);
      q.onerror = () => ko(q.error);
    });
    db.close();
    return {
      stores,
      type: Object.prototype.toString.call(v),
      magic: v ? String.fromCharCode(...v.slice(0, 4)) : null,
      length: v?.length,
    };
  }, DB);
  eq(r.stores, ["images"], "object stores");
  eq(r.type, "[object Uint8Array]", "record type");
  eq(r.magic, "LWPH", "image magic");
});

/** Writes `value` (built in the page by `make`, given the current good image) into the record. */
async function corruptAndLoad(makeSource) {
  return page.evaluate(
    async ({ CHECK, DB, makeSource }) => {
      const { LuaPersistent, IndexedDBStorage } = window.lib;
      const idb = (r) =>
        new Promise((ok, ko) => {
          r.onsuccess = () => ok(r.result);
          r.onerror = () => ko(r.error);
        });
      const lua = new LuaPersistent({ storage: new IndexedDBStorage({ database: DB }) });
      await lua.load();
      lua.init();
      if (!(await lua.loadState())) return { error: "setup: loadState failed: " + lua.getLastError() };
      lua.eval("_home.live_only = 'kept'");
      const db = await idb(indexedDB.open(DB));
      const good = await idb(db.transaction("images").objectStore("images").get("home"));
      const make = new Function("good", "return (" + makeSource + ")(good)");
      const t = db.transaction("images", "readwrite");
      t.objectStore("images").put(make(good), "home");
      await new Promise((ok, ko) => {
        t.oncomplete = ok;
        t.onerror = () => ko(t.error);
      });
      const loaded = await lua.loadState();
      const error = lua.getLastError();
      const bad = lua.eval(CHECK)?.value;
      const live = lua.eval("return _home.live_only")?.value;
      const usable = lua.eval("_home.count = _home.count + 1 return _home.count")?.value;
      // put the good image back for the next test
      const t2 = db.transaction("images", "readwrite");
      t2.objectStore("images").put(good, "home");
      await new Promise((ok, ko) => {
        t2.oncomplete = ok;
        t2.onerror = () => ko(t2.error);
      });
      db.close();
      return { loaded, error, bad, live, usable };
    },
    { CHECK, DB, makeSource },
  );
}

function expectCorrupt(r, pattern) {
  check(!r.error || r.loaded === false, `${r.error}`);
  eq(r.loaded, false, "loadState() of a corrupt record");
  check(pattern.test(r.error ?? ""), `getLastError() = ${JSON.stringify(r.error)}, expected ${pattern}`);
  eq(r.bad, "", "previous _home values after the failed load");
  eq(r.live, "kept", "unsaved live _home value after the failed load");
  eq(r.usable, 42, "state usable after the failed load");
}

await test("corrupt record (random bytes): clear error, previous _home kept", async () => {
  const r = await corruptAndLoad("() => crypto.getRandomValues(new Uint8Array(200))");
  expectCorrupt(r, /^cannot load state: persisted state is not a Lua WASM Persistent image$/);
});

await test("corrupt record (one payload byte flipped): checksum error, previous _home kept", async () => {
  const r = await corruptAndLoad("(good) => { const b = good.slice(); b[b.length - 3] ^= 0x5a; return b; }");
  expectCorrupt(r, /^cannot load state: persisted state is corrupt \(checksum mismatch\)$/);
});

await test("corrupt record (truncated image): clear error, previous _home kept", async () => {
  const r = await corruptAndLoad("(good) => good.slice(0, Math.floor(good.length / 2))");
  expectCorrupt(r, /^cannot load state: persisted state is corrupt/);
});

await test("corrupt record (a string, not binary data): clear error, previous _home kept", async () => {
  const r = await corruptAndLoad("() => 'garbage written by someone else'");
  expectCorrupt(
    r,
    /^cannot load state: IndexedDB record "home" in database "lua-wasm-browser-test" is not binary data \(string\)$/,
  );
});

await test("a record stored as an ArrayBuffer loads", async () => {
  const r = await corruptAndLoad("(good) => good.slice().buffer");
  eq(r.loaded, true, `loadState() of an ArrayBuffer record (error: ${r.error})`);
  eq(r.bad, "", "values");
});

await test("clearPersistedState: the record is gone, even for a new page load", async () => {
  const r1 = await page.evaluate(async (DB) => {
    const { LuaPersistent, IndexedDBStorage } = window.lib;
    const lua = new LuaPersistent({ storage: new IndexedDBStorage({ database: DB }) });
    await lua.load();
    lua.init();
    await lua.loadState();
    const cleared = await lua.clearPersistedState();
    const liveAfter = lua.eval("return _home.nested.a.b.c")?.value;
    const again = await lua.loadState();
    return { cleared, liveAfter, again, error: lua.getLastError() };
  }, DB);
  eq(r1.cleared, true, "clearPersistedState()");
  eq(r1.liveAfter, "deep", "live _home untouched by clearPersistedState");
  eq([r1.again, r1.error], [false, null], "loadState() after clearing (false, no error)");
  await page.close();
  page = await openPage();
  const r2 = await page.evaluate(async (DB) => {
    const { LuaPersistent, IndexedDBStorage } = window.lib;
    const lua = new LuaPersistent({ storage: new IndexedDBStorage({ database: DB }) });
    await lua.load();
    lua.init();
    const loaded = await lua.loadState();
    return { loaded, error: lua.getLastError(), size: lua.eval("return ext.size(_home)").value };
  }, DB);
  eq(
    [r2.loaded, r2.error, r2.size],
    [false, null, 0],
    "fresh page after clearing: loadState() result, error, _home size",
  );
});

await test("several keys in one database and several databases are independent", async () => {
  const r = await page.evaluate(async (DB) => {
    const { LuaPersistent, IndexedDBStorage } = window.lib;
    const make = async (opts) => {
      const lua = new LuaPersistent({ storage: new IndexedDBStorage(opts) });
      await lua.load();
      lua.init();
      return lua;
    };
    const a = await make({ database: DB, key: "a" });
    const b = await make({ database: DB, key: "b" });
    const c = await make({ database: DB + "-other", key: "a" });
    a.eval("_home.who = 'a'");
    b.eval("_home.who = 'b'");
    c.eval("_home.who = 'c'");
    const saved = [await a.saveState(), await b.saveState(), await c.saveState()];
    await b.clearPersistedState();
    const out = [];
    for (const [opts] of [
      [{ database: DB, key: "a" }],
      [{ database: DB, key: "b" }],
      [{ database: DB + "-other", key: "a" }],
    ]) {
      const l = await make(opts);
      const ok = await l.loadState();
      out.push(ok ? l.eval("return _home.who").value : null);
    }
    return { saved, out };
  }, DB);
  eq(r.saved, [true, true, true], "saveState() results");
  eq(r.out, ["a", null, "c"], "loaded values per key/database");
});

await test("a database deleted by the page while open: not blocked, the next save recreates it", async () => {
  const r = await page.evaluate(async (DB) => {
    const { LuaPersistent, IndexedDBStorage } = window.lib;
    const name = DB + "-deleted";
    const lua = new LuaPersistent({ storage: new IndexedDBStorage({ database: name }) });
    await lua.load();
    lua.init();
    lua.eval("_home.v = 1");
    const first = await lua.saveState();
    const deleted = await Promise.race([
      new Promise((ok) => {
        const q = indexedDB.deleteDatabase(name);
        q.onsuccess = () => ok("deleted");
        q.onerror = () => ok("error: " + q.error);
        q.onblocked = () => ok("blocked");
      }),
      new Promise((ok) => setTimeout(() => ok("timeout"), 5000)),
    ]);
    const afterDelete = await lua.loadState();
    lua.eval("_home.v = 2");
    const second = await lua.saveState();
    const error = lua.getLastError();
    const fresh = new LuaPersistent({ storage: new IndexedDBStorage({ database: name }) });
    await fresh.load();
    fresh.init();
    const loaded = await fresh.loadState();
    return { first, deleted, afterDelete, second, error, loaded, v: fresh.eval("return _home.v").value };
  }, DB);
  eq(r.first, true, "first saveState()");
  eq(r.deleted, "deleted", "deleteDatabase while the adapter's connection is open");
  eq(r.afterDelete, false, "loadState() after the database was deleted");
  eq([r.second, r.error], [true, null], "saveState() after the database was deleted");
  eq([r.loaded, r.v], [true, 2], "fresh instance loads the new save");
});

await test("a database at a newer version (opened by other code) gives a clear error", async () => {
  const r = await page.evaluate(async (DB) => {
    const { LuaPersistent, IndexedDBStorage } = window.lib;
    const name = DB + "-v2";
    await new Promise((ok, ko) => {
      const q = indexedDB.open(name, 2);
      q.onupgradeneeded = () => q.result.createObjectStore("other");
      q.onsuccess = () => {
        q.result.close();
        ok();
      };
      q.onerror = () => ko(q.error);
    });
    const storage = new IndexedDBStorage({ database: name });
    const lua = new LuaPersistent({ storage });
    await lua.load();
    lua.init();
    const saved = await lua.saveState();
    const error = lua.getLastError();
    // once the other database is gone, the same adapter retries and works; close() then reopen
    await new Promise((ok, ko) => {
      const q = indexedDB.deleteDatabase(name);
      q.onsuccess = ok;
      q.onerror = () => ko(q.error);
    });
    lua.eval("_home.x = 'retried'");
    const retried = await lua.saveState();
    await storage.close();
    await storage.close();
    const reloaded = await lua.loadState();
    return { saved, error, retried, reloaded, x: lua.eval("return _home.x").value, error2: lua.getLastError() };
  }, DB);
  eq(r.saved, false, "saveState() on an incompatible database");
  check(/^cannot save state: .*version/i.test(r.error ?? ""), `getLastError() = ${JSON.stringify(r.error)}`);
  eq(
    [r.retried, r.reloaded, r.x, r.error2],
    [true, true, "retried", null],
    "save after the database was removed, load after close()",
  );
});

await test("no uncaught errors in the pages and no missing files", async () => {
  const errors = await page.evaluate(() => window.pageErrors);
  eq(errors, [], "uncaught errors / unhandled rejections seen by the last page");
  eq(pageErrors, [], "uncaught errors / unhandled rejections in any page");
  eq(notFound, [], "404s from the test server");
});

await cleanup();
finish();
