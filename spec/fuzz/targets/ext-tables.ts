// ext-tables.ts - fuzzer of external tables under memoryLimit (issue #10 items 6, 9, 12): random
// sequences of Lua writes, deletes, copies, stored functions, fills past the limit and collections,
// interleaved with host-side writes (setInput with sparse arrays and nested objects, clearIo,
// saveState/loadState, snapshot/restore), on states with small memory limits.
// After every step: no internal error and no reset (a sentinel global survives), the only error is
// "not enough memory", a refused write left its key as it was, the incremental host-byte count equals
// the count recomputed from scratch, host bytes stay under the limit, no metatable is visible.
// Usage: tsx spec/fuzz/targets/ext-tables.ts [--short | --iterations N | --minutes M] [--seed S]
//        [--wasm build/lua-debug.wasm]   (another build, e.g. with asserts or the stress collector)
// Ends with "N passed, N failed" (one case = one state and its steps); exit status 1 on a failure.

import { LuaPersistent, MemoryStorage } from "../../../host/index.js";
import type { HostSide } from "../../../host/ext/imports.js";
import { targetArgs } from "../lib.js";

// ==== Arguments and randomness ====

const { flag, has } = targetArgs();
const short = has("--short");
const seed0 = Number(flag("--seed") ?? 20261206);
const wasm = flag("--wasm");
const iterations = Number(flag("--iterations") ?? (short ? 60 : 1e9));
const deadline = Date.now() + (flag("--minutes") ? Number(flag("--minutes")) * 60_000 : short ? 45_000 : 10 * 60_000);

let state = seed0 >>> 0;
function rnd(): number {
  // mulberry32
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

// ==== Random Lua ====

const TABLES = ["_home", "_io", "T1", "T2", "T3"];
function key(): string {
  return pick([
    () => String(1 + int(40)),
    () => `"k${int(40)}"`,
    () => `${int(10)}.5`,
    () => pick(["true", "false"]),
    () => `"\\xff\\x00${int(5)}"`,
    () => `2^60 + ${int(5)}`,
    () => `"${"é".repeat(1 + int(3))}"`,
  ])();
}
function value(depth = 0): string {
  return pick([
    () => "nil",
    () => String(int(1000) - 500),
    () => `${int(100)}.25`,
    () => "true",
    () => `("v"):rep(${pick([1, 10, 1000, 50_000, 300_000])})`,
    () => `"\\xfe${int(9)}"`,
    () => pick(TABLES.slice(2)),
    () => (depth < 2 ? `{${value(depth + 1)}, x = ${value(depth + 1)}, [${key()}] = ${value(depth + 1)}}` : "{}"),
    () => `(function() local n = ${int(9)} return function() n = n + 1 return n end end)()`,
    () => "print",
  ])();
}
/** One Lua step: a body run under pcall; "not enough memory" is the only error it may raise. */
function step(): string {
  const t = pick(TABLES);
  return pick([
    () => `local k, v = ${key()}, ${value()} local had = ${t}[k]
      local ok, e = pcall(function() ${t}[k] = v end)
      if not ok then assert(e == "not enough memory", e) assert(${t}[k] == had, "refused write changed the key") end`,
    () => `${pick(TABLES.slice(2))} = ext.table()`,
    () => `for k in pairs(${t}) do if math.random() < 0.5 then ${t}[k] = nil end end`,
    () => `local s = ("f"):rep(${pick([10_000, 200_000])}) for i = 1, ${int(60)} do ${t}[i] = s .. i end`,
    () => `for i = 1, ${int(200)} do local x = ext.table() x.v = i ${t}.last = {i, x} end`,
    () => `collectgarbage()`,
    () => `local n = 0 for _ in pairs(${t}) do n = n + 1 end assert(n == ext.size(${t}), "size")`,
    () => `assert(getmetatable(${t}) == nil and not pcall(setmetatable, ${t}, {}), "metatable visible")`,
  ])();
}

// ==== Host steps ====

function jsValue(depth = 0): unknown {
  return pick([
    () => null,
    () => int(100),
    () => "s".repeat(pick([1, 100, 100_000])),
    () => rnd() < 0.5,
    () => {
      const a: unknown[] = [];
      a.length = pick([3, 2 ** 31]);
      a[int(3)] = depth < 2 ? jsValue(depth + 1) : 1;
      return a;
    },
    () => ({ a: depth < 2 ? jsValue(depth + 1) : 1, b: [1, 2, 3] }),
    () =>
      new Map<unknown, unknown>([
        [1, "one"],
        ["two", depth < 2 ? jsValue(depth + 1) : 2],
      ]),
  ])();
}

// ==== One case ====

const LIMITS = [1, 2, 4, 8].map((m) => m * 1024 * 1024);

async function runCase(caseNo: number): Promise<string | null> {
  const limit = pick(LIMITS);
  const storage = new MemoryStorage();
  const lua = new LuaPersistent({ memoryLimit: limit, storage });
  await lua.load(wasm);
  if (!lua.init()) return `init: ${lua.getLastError()}`;
  const host = (): HostSide => (lua as unknown as { runtime: { host: HostSide } }).runtime.host;
  if (lua.eval("SENTINEL = 'alive' T1, T2, T3 = ext.table(), ext.table(), ext.table() math.randomseed(1)") === null) {
    return `setup: ${lua.getLastError()}`;
  }
  let snap: Uint8Array | null = null;
  const steps = 10 + int(40);
  for (let s = 0; s < steps; s++) {
    let what: string;
    const r = rnd();
    if (r < 0.75) {
      const code = step();
      what = code;
      if (
        lua.eval(
          `local ok, e = pcall(function() ${code} end) if not ok then assert(e == "not enough memory", e) end`,
        ) === null
      ) {
        const err = lua.getLastError() ?? "";
        if (err !== "not enough memory") return `step ${s} (limit ${limit}): ${err}\n${code}`;
      }
    } else {
      const op = int(6);
      what = `host op ${op}`;
      try {
        if (op === 0) lua.setInput(jsValue());
        else if (op === 1) lua.clearIo();
        else if (op === 2) {
          lua.getOutput();
          await lua.saveState();
        } else if (op === 3) {
          await lua.loadState();
        } else if (op === 4) snap = lua.snapshot();
        else if (snap) lua.restore(snap);
      } catch (e) {
        if (!/not enough memory/.test((e as Error).message)) return `${what}: ${(e as Error).message}`;
      }
    }
    const h = host();
    const bytes = h.hostBytes,
      full = h.store.recount();
    if (bytes !== full) return `after ${what}: hostBytes ${bytes} but recount ${full}`;
    if (bytes > limit) return `after ${what}: hostBytes ${bytes} over the limit ${limit}`;
    const alive = lua.eval("return SENTINEL");
    if (alive !== null && alive.value !== "alive") return `after ${what}: the state was reset`;
    if (alive === null && lua.getLastError() !== "not enough memory") return `after ${what}: ${lua.getLastError()}`;
  }
  lua.close();
  void caseNo;
  return null;
}

// ==== Main ====

let passed = 0,
  failed = 0;
for (let i = 0; i < iterations && Date.now() < deadline; i++) {
  const caseSeed = state;
  let err: string | null;
  try {
    err = await runCase(i);
  } catch (e) {
    err = `exception: ${(e as Error).stack ?? e}`;
  }
  if (err === null) passed++;
  else {
    failed++;
    console.log(`case ${i} (state ${caseSeed}): ${err}`);
  }
  if ((i + 1) % 20 === 0)
    console.log(`${i + 1} cases, ${failed} failed, heap ${(process.memoryUsage().heapUsed / 1048576).toFixed(0)} MB`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
