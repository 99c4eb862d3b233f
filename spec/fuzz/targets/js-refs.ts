// js-refs.ts - the JS-references fuzzer (issue #13 point 1): random JS object graphs handed to Lua by
// reference (plain objects, arrays with holes, Maps, Sets, class instances, frozen objects, getters
// and methods that throw, return anything or call back into Lua, Proxies that lie or get revoked
// mid-run, Function, eval and globalThis hidden as values) and random Lua snippets over them (reads and writes of keys
// of every type, `:` and `.` calls, #, pairs, ipairs, ==, tostring, storing into _home, escape
// attempts through constructor/__proto__/prototype, collections).
//
// After every step: no "internal" LuaError (a trap), no stateReset, no exception other than LuaError
// from run (and TypeError from global.set of a revoked Proxy), the sentinel globals intact, and no
// forbidden value (Function, eval, globalThis, a Function.prototype method) ever reached the probe
// JS function Lua passes what it found. Every CHECK_EVERY steps the globals holding references are
// dropped and both heaps collected: the host must then hold no reference (no leak) and
// lua_memory_used must be back within a bound of where it was.
//
//   npm run fuzz -- --target js-refs [--minutes N | --iterations N] [--seed S] [--short]
// --short: seed 1, 3,000 steps (npm test). Ends with "N passed, N failed".

import { Lua, LuaError, LuaMulti } from "../../../host/index.js";
import type { RefTable } from "../../../host/refs.js";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { rng, targetArgs } from "../lib.js";

setFlagsFromString("--expose-gc");
const jsgc = runInNewContext("gc") as () => void;

const { flag, has } = targetArgs();
const SHORT = has("--short");
const SEED = Number(flag("--seed") ?? 1);
const MINUTES = flag("--minutes") !== undefined ? Number(flag("--minutes")) : undefined;
const ITERATIONS = Number(flag("--iterations") ?? (MINUTES !== undefined ? Infinity : SHORT ? 3000 : 30000));
const DEADLINE = MINUTES !== undefined ? Date.now() + MINUTES * 60_000 : Infinity;
const CHECK_EVERY = 250;
/** lua_memory_used may differ by this much after a drop-and-collect (caches, interned strings). */
const MEMORY_SLACK = 256 * 1024;

const rnd = rng(SEED);
const int = (n: number): number => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
const chance = (p: number): boolean => rnd() < p;

// ==== Random JS values ====

const FORBIDDEN = new Set<unknown>([
  Function,
  eval,
  globalThis,
  Object.getPrototypeOf(async () => {}).constructor,
  Function.prototype.call,
  Function.prototype.apply,
  Function.prototype.bind,
  Object,
]);

class Thing {
  n = 0;
  constructor(readonly name: string) {}
  inc(by = 1): number {
    return (this.n += by);
  }
  self(): this {
    return this;
  }
  get label(): string {
    return `${this.name}${this.n}`;
  }
}

function scalar(): unknown {
  return pick([0, 1, -1, 2 ** 53, 1.5, NaN, -0, "s", "", "ü", true, false, null, undefined, 2n ** 40n]);
}

function jsValue(depth = 0): unknown {
  if (depth > 3 || chance(0.3)) return scalar();
  switch (int(15)) {
    case 0:
      return { a: jsValue(depth + 1), b: jsValue(depth + 1), 1: jsValue(depth + 1) };
    case 1: {
      const a: unknown[] = [jsValue(depth + 1), jsValue(depth + 1)];
      if (chance(0.3)) a[int(50)] = jsValue(depth + 1);
      return a;
    }
    case 2:
      return new Map<unknown, unknown>([
        ["k", jsValue(depth + 1)],
        [1, jsValue(depth + 1)],
        [{}, 1],
      ]);
    case 3:
      return new Set([1, "x", jsValue(depth + 1)]);
    case 4:
      return new Thing(pick(["t", "u"]));
    case 5:
      return Object.freeze({ f: 1, g: jsValue(depth + 1) });
    case 6:
      return {
        get boom() {
          throw new Error("getter boom");
        },
        set boom(_v: unknown) {
          throw new TypeError("setter boom");
        },
        ok: 1,
      };
    case 7:
      return {
        m: () => pick([Function, eval, globalThis, Symbol("s"), new LuaMulti([1, Function]), () => 1, {}, 5]),
        thrower() {
          throw pick([new Error("m"), "str", { o: 1 }, null]);
        },
      };
    case 8:
      return new Proxy(Object.preventExtensions({ a: 1 }), { ownKeys: () => ["a", "b"] });
    case 9: {
      const r = Proxy.revocable({ a: 1, arr: [1, 2] }, {});
      revokers.push(r.revoke);
      return r.proxy;
    }
    case 10:
      return new Proxy(
        {},
        {
          get: (_t, k) => (k === "x" ? Function : pick([1, "y", undefined, globalThis])),
          has: () => {
            throw new Error("has trap");
          },
        },
      );
    case 11:
      return { hidden: { deeper: pick([Function, eval, globalThis, Function.prototype, Object]) } };
    case 12:
      return new Float64Array([1.5, 2.5]);
    case 13:
      // the user's code behind a reference calls back into the state (nested entries)
      return {
        get nested(): unknown {
          return L.run(pick(NESTED))[0];
        },
        cb(...args: unknown[]): LuaMulti {
          return new LuaMulti([...args, ...L.run(pick(NESTED))]);
        },
        g: () => L.global.get(pick(NAMES)),
        later: async () => 1,
      };
    default:
      return new Date(0);
  }
}

/** What the re-entrant members run (errors, a yield across them, the budget, references again). */
const NESTED = [
  "return s1",
  "return 1 + 1",
  "error('nested boom')",
  "error({code = 1})",
  "coroutine.yield(1)",
  "return r1",
  "return r2 and #r2",
  "for k, v in pairs(r3) do end return r3",
  "return r1.nested",
  "local t = {} for i = 1, 100 do t[i] = i end return t",
  "while true do end",
];

let revokers: (() => void)[] = [];

// ==== Random Lua ====

const NAMES = ["r1", "r2", "r3"];
const KEYS = [
  "'nested'",
  "'a'",
  "'b'",
  "1",
  "2",
  "0",
  "-1",
  "1.5",
  "true",
  "'k'",
  "'n'",
  "'x'",
  "'label'",
  "{}",
  "print",
  "2^53",
];
const ATTACKS = [
  "return X.constructor",
  "return X.constructor.constructor('return process')()",
  "return X.__proto__",
  "return X.prototype",
  "return X.__lookupGetter__",
  "return X.inc.constructor",
  "return X.m.call",
  "return getmetatable(X)",
  "return debug.getmetatable(X)",
  "return (debug.getupvalue(X.inc, 1))",
  "return X:self().constructor",
  "return X:m()",
  "return X.hidden.deeper",
  "return X.x",
  "for k, v in pairs(X) do probe(k) probe(v) end",
  "X.__proto__ = {}",
  "X.constructor = 1",
  "debug.setmetatable(X, {})",
];

function snippet(): string {
  const x = pick(NAMES);
  const y = pick(NAMES);
  const k = pick(KEYS);
  const body = pick([
    `probe(${x}[${k}])`,
    `${x}[${k}] = ${pick(["1", "'v'", "nil", "false", "{1, 2}", "function() return 1 end", y, "2^63"])}`,
    `probe(#${x})`,
    `for k, v in pairs(${x}) do probe(k) probe(v) end`,
    `for i, v in ipairs(${x}) do probe(v) end`,
    `probe(${x}:inc(2))`,
    `probe(${x}.inc(3))`,
    `probe(${x}:self())`,
    `probe(${x}:m())`,
    `probe(${x}.thrower())`,
    `probe(${x}.nested)`,
    `probe(${x}:cb(1, 'a', ${y}))`,
    `probe(${x}.g())`,
    `probe(${x}:later())`,
    `probe(coroutine.wrap(function() return ${x}.nested end)())`,
    `probe(${x} == ${y}, tostring(${x}), type(${x}))`,
    `_home.fz = ${x}`,
    `local t = ext.table() t.v = ${x}`,
    `probe(back(${x}))`,
    `collectgarbage()`,
    pick(ATTACKS).replaceAll("X", x),
  ]);
  return chance(0.5) ? `pcall(function() ${body} end)` : body;
}

// ==== The run ====

let passed = 0,
  failed = 0;
const failures: string[] = [];
function fail(step: number, what: string): void {
  failed++;
  if (failures.length < 10) failures.push(`seed ${SEED} step ${step}: ${what}`);
}

const L = await Lua.create({ stdout: () => {}, stderr: () => {}, instructionLimit: 1e6, memoryLimit: 16 << 20 });
const SENTINELS = "s1 = 1 s2 = 'two' s3 = {3}";
L.run(SENTINELS);
let leaked: unknown = null;
L.global.set("probe", (...vs: unknown[]) => {
  for (const v of vs) if (FORBIDDEN.has(v)) leaked = v;
});
L.global.set("back", (v: unknown) => {
  if (FORBIDDEN.has(v)) leaked = v;
  return v;
});
// the probe must flag a forbidden value it is given, or the invariant below could not fail (Lua
// itself can never pass one: the encoder refuses them, so the probe is called from JS here)
(L.global.get("probe") as (...vs: unknown[]) => void)(1, Function);
if (leaked !== Function) throw new Error("the probe does not see forbidden values");
leaked = null;

let luaErrors = 0;
const liveRefs = (): number =>
  (L["bridge"] as unknown as { refTables: WeakMap<object, RefTable> }).refTables.get(L["runtime"].instance)?.size ?? 0;

const t0 = Date.now();
let baseline = -1;
for (let step = 1; step <= ITERATIONS && Date.now() < DEADLINE; step++) {
  try {
    if (chance(0.25)) {
      try {
        L.global.set(pick(NAMES), jsValue());
      } catch (e) {
        if (!(e instanceof TypeError)) throw e; // a revoked Proxy, a bigint past 64 bits: refused up front
      }
    } else if (chance(0.02) && revokers.length > 0) {
      revokers.splice(int(revokers.length), 1)[0]();
    } else {
      try {
        L.run(snippet());
      } catch (e) {
        if (!(e instanceof LuaError) || e.kind === "internal" || e.stateReset) throw e;
        luaErrors++;
      }
    }
    if (leaked !== null) throw new Error(`a forbidden value reached Lua: ${String(leaked).slice(0, 40)}`);
    const s = L.run("return s1, s2, s3[1]");
    if (s[0] !== 1 || s[1] !== "two" || s[2] !== 3) throw new Error(`sentinels lost: ${JSON.stringify(s)}`);
    if (step % CHECK_EVERY === 0) {
      L.run(`${NAMES.join(" = nil ")} = nil _home.fz = nil`);
      revokers = [];
      // Lua functions Lua handed to JS (probe's arguments) hold what they reach until V8 finalizes
      // their wrappers: collect the JS heap and let the FinalizationRegistry callbacks run first
      for (let i = 0; i < 2; i++) {
        jsgc();
        await new Promise((done) => setTimeout(done, 0));
      }
      L.run("collectgarbage() collectgarbage()"); // sends the released function references first
      L.run("collectgarbage() collectgarbage()");
      if (liveRefs() !== 0) throw new Error(`${liveRefs()} references still held after every one was dropped`);
      const used = L.memoryStats().lua_memory_used;
      if (baseline < 0) baseline = used;
      else if (used - baseline > MEMORY_SLACK) throw new Error(`lua_memory_used grew by ${used - baseline} bytes`);
    }
    passed++;
  } catch (e) {
    fail(step, e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));
    leaked = null;
  }
  if (!SHORT && step % 5000 === 0)
    console.log(`  ${step} steps, ${failed} failed, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}
L.close();
for (const f of failures) console.log(f);
console.log(
  `js-refs fuzzer: seed ${SEED}, ${passed + failed} steps in ${((Date.now() - t0) / 1000).toFixed(1)} s (${luaErrors} runs ended in a Lua error)`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
