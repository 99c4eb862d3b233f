// boundary.ts - the cost of crossing between JS and Lua, side by side with wasmoon and fengari in one
// run (issue #13 point 6): JS calling a Lua function, Lua calling a JS function, 1000 set+get with
// string keys on a table whose data lives in the host, and a field read through a JS object reference.
//
//   npm run bench:boundary [-- --max-time S] [--engines a,b] [--json FILE]
//
// Every case is timed with benchmark.js (median per sample) and reported per operation. Cases an
// engine cannot express are "n/a" with the reason: fengari has no host-side tables or JS object
// references without fengari-interop (not a dependency here). Figures are comparable only within
// one run on one machine; the report names the machine and its load average (other processes sharing
// the cores slow every case: the median of a busy run can be twice an idle one's).

import Benchmark from "benchmark";
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { median, renderTable } from "./stats.js";

/** Operations per timed call for the cases that loop inside Lua (the loop's own cost is included). */
const LOOP = 1000;

/** One engine's implementation of the cases: each returns a function doing the case's batch once. */
interface Subject {
  name: string;
  describe: string;
  /** JS calls the Lua function add(a, b): one call. */
  jsCallsLua(): (() => void) | string;
  /** Lua calls a JS function LOOP times. */
  luaCallsJs(): (() => void) | string;
  /** LOOP set + LOOP get with string keys on a table whose data the host holds. */
  hostTable(): (() => void) | string;
  /** The same on a plain Lua table (the reference the host table is compared with). */
  luaTable(): (() => void) | string;
  /** Lua reads a field of a JS object it holds by reference, LOOP times. */
  proxyRead(): (() => void) | string;
  close(): void;
}

/** Lua source shared by the engines: precomputed keys, so the loops time the table, not `..`. */
const KEYS = `keys = {} for i = 1, ${LOOP} do keys[i] = "key_" .. i end`;
const SET_GET = (t: string) =>
  `local t, keys = ${t}, keys for i = 1, ${LOOP} do t[keys[i]] = i end ` +
  `local s = 0 for i = 1, ${LOOP} do s = s + t[keys[i]] end return s`;
const CALL_JS = `local f = jsfn local s = 0 for i = 1, ${LOOP} do s = s + f(i) end return s`;
const READ_FIELD = `local o = obj local s = 0 for i = 1, ${LOOP} do s = s + o.x end return s`;

async function luaWasm(): Promise<Subject> {
  const { Lua } = await import("../host/index.js");
  const L = await Lua.create();
  L.run(KEYS);
  L.run("function add(a, b) return a + b end");
  L.global.set("jsfn", (i: number) => i);
  return {
    name: "lua-wasm",
    describe: "lua-wasm (this build, Lua.create)",
    jsCallsLua() {
      const add = L.global.get("add") as unknown as (a: number, b: number) => unknown;
      return () => void add(1, 2);
    },
    luaCallsJs: () => () => void L.run(CALL_JS),
    hostTable: () => () => void L.run(SET_GET("ext.table()")),
    luaTable: () => () => void L.run(SET_GET("{}")),
    proxyRead() {
      L.global.set("obj", { x: 1 });
      if (L.run("return type(obj)")[0] !== "userdata") return "n/a: JS objects are copied into Lua (no references yet)";
      return () => void L.run(READ_FIELD);
    },
    close: () => L.close(),
  };
}

async function wasmoon(): Promise<Subject> {
  const { LuaFactory } = await import("wasmoon");
  const version = (await import("wasmoon/package.json", { with: { type: "json" } })).default.version;
  const engine = await new LuaFactory().createEngine();
  engine.doStringSync(KEYS);
  engine.doStringSync("function add(a, b) return a + b end");
  engine.global.set("jsfn", (i: number) => i);
  return {
    name: "wasmoon",
    describe: `wasmoon ${version} (PUC Lua 5.4 in wasm)`,
    jsCallsLua() {
      const add = engine.global.get("add") as (a: number, b: number) => unknown;
      return () => void add(1, 2);
    },
    luaCallsJs: () => () => void engine.doStringSync(CALL_JS),
    hostTable() {
      // wasmoon's host-side table: a JS object Lua holds by reference
      engine.global.set("hostobj", {});
      return () => void engine.doStringSync(SET_GET("hostobj"));
    },
    luaTable: () => () => void engine.doStringSync(SET_GET("{}")),
    proxyRead() {
      engine.global.set("obj", { x: 1 });
      return () => void engine.doStringSync(READ_FIELD);
    },
    close: () => engine.global.close(),
  };
}

async function fengari(): Promise<Subject> {
  const f = (await import("fengari")).default ?? (await import("fengari"));
  const version = (await import("fengari/package.json", { with: { type: "json" } })).default.version;
  const { lua, lauxlib, lualib, to_luastring } = f;
  const L = lauxlib.luaL_newstate();
  lualib.luaL_openlibs(L);
  const check = (status: number) => {
    if (status !== lua.LUA_OK) throw new Error(lua.lua_tojsstring(L, -1));
  };
  const run = (code: string) => {
    check(lauxlib.luaL_dostring(L, to_luastring(code)));
    lua.lua_settop(L, 0);
  };
  run(KEYS);
  run("function add(a, b) return a + b end");
  lua.lua_pushjsfunction(L, (S) => {
    lua.lua_pushinteger(S, lua.lua_tointeger(S, 1));
    return 1;
  });
  lua.lua_setglobal(L, to_luastring("jsfn"));
  const compiled = (code: string) => {
    check(lauxlib.luaL_loadstring(L, to_luastring(code)));
    const ref = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    return () => {
      lua.lua_rawgeti(L, lua.LUA_REGISTRYINDEX, ref);
      check(lua.lua_pcall(L, 0, 1, 0));
      lua.lua_settop(L, 0);
    };
  };
  const addName = to_luastring("add");
  return {
    name: "fengari",
    describe: `fengari ${version} (Lua 5.3 in JavaScript)`,
    jsCallsLua: () => () => {
      lua.lua_getglobal(L, addName);
      lua.lua_pushinteger(L, 1);
      lua.lua_pushinteger(L, 2);
      check(lua.lua_pcall(L, 2, 1, 0));
      lua.lua_tonumber(L, -1);
      lua.lua_settop(L, 0);
    },
    // the loop compiled once: fengari's luaL_dostring would time its compiler, the others' cache it
    luaCallsJs: () => compiled(CALL_JS),
    hostTable: () => "n/a: no host-side tables without fengari-interop",
    luaTable: () => compiled(SET_GET("{}")),
    proxyRead: () => "n/a: no JS object references without fengari-interop",
    close: () => lua.lua_close(L),
  };
}

interface Case {
  id: keyof Omit<Subject, "name" | "describe" | "close">;
  label: string;
  /** Operations per timed call (the figure reported is per operation). */
  ops: number;
  /** The goal for lua-wasm, µs per operation. */
  goalUs?: number;
  /** What "per operation" means in the report. */
  unit: string;
}

const CASES: Case[] = [
  { id: "jsCallsLua", label: "JS calls Lua add(1, 2)", ops: 1, goalUs: 0.3, unit: "per call" },
  { id: "luaCallsJs", label: "Lua calls a JS function", ops: LOOP, goalUs: 0.15, unit: "per call" },
  { id: "hostTable", label: "1000 set+get, string keys, host table", ops: 1, goalUs: 300, unit: "per 1000 pairs" },
  { id: "luaTable", label: "1000 set+get, string keys, Lua table", ops: 1, unit: "per 1000 pairs" },
  { id: "proxyRead", label: "Lua reads a JS object's field", ops: LOOP, goalUs: 0.2, unit: "per read" },
];

/** Median seconds per call of fn, by benchmark.js. */
function time(fn: () => void, maxTime: number): number {
  Benchmark.support.decompilation = false; // call fn itself: it closes over the engine
  const b = new Benchmark({ fn, maxTime, minSamples: 5, initCount: 1 });
  b.run({ async: false });
  const err: unknown = b.error;
  if (err) throw err instanceof Error ? err : new Error(String(err));
  return median(b.stats.sample) ?? NaN;
}

function formatUs(us: number): string {
  return us >= 100 ? us.toFixed(0) : us >= 1 ? us.toFixed(2) : us.toFixed(3);
}

async function main(argv: string[]): Promise<void> {
  let maxTime = 1;
  let engines = ["lua-wasm", "wasmoon", "fengari"];
  let json: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--max-time") maxTime = Number(argv[++i]);
    else if (argv[i] === "--engines") engines = argv[++i].split(",");
    else if (argv[i] === "--json") json = argv[++i];
    else throw new Error(`usage: npm run bench:boundary -- [--max-time S] [--engines a,b] [--json FILE]`);
  }
  const makers: Record<string, () => Promise<Subject>> = { "lua-wasm": luaWasm, wasmoon, fengari };
  const subjects: Subject[] = [];
  for (const e of engines) {
    if (!makers[e]) throw new Error(`unknown engine ${e}`);
    try {
      subjects.push(await makers[e]());
    } catch (err) {
      console.log(`${e}: not available (${(err as Error).message.split("\n")[0]})`);
    }
  }
  const results: Record<string, Record<string, number | string>> = {};
  for (const c of CASES) {
    results[c.id] = {};
    for (const s of subjects) {
      const fn = s[c.id]();
      if (typeof fn === "string") {
        results[c.id][s.name] = fn;
        continue;
      }
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K  ${c.label}: ${s.name}...`);
      results[c.id][s.name] = (time(fn, maxTime) * 1e6) / c.ops;
    }
  }
  for (const s of subjects) s.close();
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
  const cpu = cpus()[0]?.model ?? "?";
  console.log(`boundary crossings, µs per operation (benchmark.js median), ${new Date().toISOString()}`);
  // other processes on the machine change every figure (up to 2x here): say how busy it was
  const load = loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
  console.log(`machine: ${cpu}, ${cpus().length} cores, node ${process.version}, load average ${load}`);
  for (const s of subjects) console.log(`  ${s.name}: ${s.describe}`);
  const header = ["case", "unit", ...subjects.map((s) => s.name), "lua-wasm goal"];
  const rows = CASES.map((c) => [
    c.label,
    c.unit,
    ...subjects.map((s) => {
      const v = results[c.id][s.name];
      return typeof v === "number" ? formatUs(v) : v.startsWith("n/a") ? "n/a" : v;
    }),
    c.goalUs === undefined ? "-" : `<= ${c.goalUs}`,
  ]);
  console.log(renderTable(header, rows, [0, 1]));
  const notes = new Set<string>();
  for (const c of CASES)
    for (const s of subjects) {
      const v = results[c.id][s.name];
      if (typeof v === "string") notes.add(`${s.name}, ${c.label}: ${v}`);
    }
  for (const n of notes) console.log(`  ${n}`);
  if (json) writeFileSync(json, JSON.stringify({ machine: cpu, node: process.version, load, results }, null, 2));
}

await main(process.argv.slice(2));
