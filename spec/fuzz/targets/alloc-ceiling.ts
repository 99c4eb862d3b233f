// alloc-ceiling.ts - fuzz target: allocation bombs at random memory limits, the module's ceiling
// (memoryLimit 0: 1.5 GiB counted, linear memory up to 4 GiB) included. One state per limit lives
// through every bomb drawn for it; after each bomb and a collection it must still allocate a
// 1000-element table and a string of a quarter of the limit, keep its globals, and give its memory
// back. A bomb must end in a Lua error "not enough memory" (or finish), never an internal error.
//   npm run fuzz -- --target alloc-ceiling [--minutes N | --iterations N] [--seed S] [--short]
// --short (npm test): a fixed seed, small limits and the fast bombs only (a few seconds). The long
// mode draws the ceiling half of the time, with every bomb (the slow ones fill 1.5 GiB of small
// objects: 10-40 s each).
// Invariant: ends with one line "N passed, N failed" and exits non-zero on any failure.
import { Lua, LuaError } from "../../../host/index.js";
import { rng } from "../lib.js";

const MiB = 1024 * 1024;

interface Args {
  short: boolean;
  minutes: number;
  iterations: number;
  seed: number;
}
function parseArgs(argv: string[]): Args {
  const a: Args = { short: false, minutes: 0, iterations: 0, seed: Date.now() % 2 ** 31 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--short") a.short = true;
    else if (argv[i] === "--minutes") a.minutes = Number(argv[++i]);
    else if (argv[i] === "--iterations") a.iterations = Number(argv[++i]);
    else if (argv[i] === "--seed") a.seed = Number(argv[++i]);
  }
  if (a.short) {
    a.seed = 1;
    a.iterations = 12;
    a.minutes = 0;
  }
  if (a.minutes === 0 && a.iterations === 0) a.iterations = 20;
  return a;
}

/** Bombs: [name, Lua body run under pcall, fast enough for --short]. R(n) is a random integer in [1, n]. */
function bombs(r: () => number): Array<[string, string, boolean]> {
  const R = (n: number) => 1 + Math.floor(r() * n);
  return [
    ["array part", `local t = {} for i = 1, 1e9 do t[i] = i end`, true],
    ["list of tables", `local t = {} while true do t[#t+1] = {} end`, false],
    ["hash part", `local t, i = {}, 0 while true do i = i + 1 t["k" .. i] = i end`, false],
    ["string doubling", `local s = "x" while true do s = s .. s end`, true],
    ["list of strings", `local t = {} while true do t[#t+1] = ("x"):rep(${R(4096)} * 1024) .. #t end`, true],
    ["string.rep beyond", `local s = ("x"):rep(2^${20 + R(12)})`, true],
    [
      "table.concat",
      `local s = ("x"):rep(2^${14 + R(10)}) local t = {} for i = 1, 2^${4 + R(10)} do t[i] = s end local r = table.concat(t)`,
      true,
    ],
    ["closures", `local t = {} while true do local n = #t t[n+1] = function() return n end end`, false],
    ["coroutines", `local t = {} while true do t[#t+1] = coroutine.create(print) end`, false],
    [
      "pins and holes",
      `pins = pins or {} local big = {}
      for i = 1, ${R(800)} do big[i] = ("a"):rep(${R(2048)} * 1024) pins[#pins+1] = ("p"):rep(65536) end
      big = {} collectgarbage()
      for i = 1, 1e6 do big[i] = ("b"):rep(${R(4096)} * 1024) end`,
      true,
    ],
    [
      "mixed sizes",
      `local t = {} for i = 1, 1e6 do t[#t+1] = ("m"):rep(math.random(1, 2^${10 + R(19)})) if #t > ${R(64)} then t[math.random(#t)] = nil end end`,
      true,
    ],
    ["gsub growth", `local s = ("x"):rep(2^${10 + R(10)}) while true do s = s:gsub("x", "xx") end`, true],
  ];
}

/** One bomb on `lua`; returns a failure description, or null. */
function check(lua: Lua, limit: number, name: string, body: string, baseline: number): string | null {
  try {
    const [ok, e] = lua.run(`return pcall(function() ${body} end)`) as [boolean, unknown];
    if (
      !ok &&
      e !== "not enough memory" &&
      !(typeof e === "string" && /string (length overflow|too large)|resulting string too large/.test(e))
    ) {
      return `${name}: unexpected error ${String(e)}`;
    }
    lua.run("pins = nil");
    lua.collectGarbage();
    const [n, last] = lua.run(`local t = {} for i = 1, 1000 do t[i] = i end return #t, t[1000]`) as [number, number];
    if (n !== 1000 || last !== 1000) return `${name}: the table after the bomb is wrong`;
    const size = Math.min(Math.floor(limit / 4), 256 * MiB);
    const [len] = lua.run(`return #("y"):rep(${size})`) as [number];
    if (len !== size) return `${name}: a ${size}-byte string after the bomb has length ${len}`;
    if (lua.run("return sentinel")[0] !== "kept") return `${name}: a global was lost`;
    lua.collectGarbage();
    const held = lua.memoryStats().lua_memory_used;
    if (held > baseline + MiB) return `${name}: ${held - baseline} bytes still held after a collection`;
    return null;
  } catch (e) {
    return `${name}: ${e instanceof LuaError ? `${e.kind}: ${e.message}` : String(e)}`;
  }
}

const args = parseArgs(process.argv.slice(2));
const r = rng(args.seed);
console.log(`alloc-ceiling: seed ${args.seed}${args.short ? " (short)" : ""}`);
const states = new Map<number, { lua: Lua; baseline: number }>();
const deadline = args.minutes > 0 ? Date.now() + args.minutes * 60_000 : Infinity;
let passed = 0,
  failed = 0;
for (let i = 0; args.iterations > 0 ? i < args.iterations : Date.now() < deadline; i++) {
  const limit = args.short
    ? [4 * MiB, 16 * MiB][Math.floor(r() * 2)]
    : r() < 0.5
      ? 0
      : Math.floor(MiB * 2 ** (r() * 10)); // the ceiling, or 1 MiB .. 1 GiB
  let st = states.get(limit);
  if (!st) {
    const lua = await Lua.create({ memoryLimit: limit, stdout: () => {} });
    lua.run(`sentinel = "kept"`);
    lua.collectGarbage();
    st = { lua, baseline: lua.memoryStats().lua_memory_used };
    states.set(limit, st);
  }
  const all = bombs(r).filter(([, , fast]) => fast || !args.short);
  const [name, body] = all[Math.floor(r() * all.length)];
  const effective = limit === 0 ? st.lua.memoryStats().memory_limit : limit;
  const t0 = Date.now();
  const fail = check(st.lua, effective, name, body, st.baseline);
  const where = `#${i} limit ${limit === 0 ? "ceiling" : `${(limit / MiB).toFixed(1)} MiB`}, ${name} (${Date.now() - t0} ms)`;
  if (fail) {
    failed++;
    console.log(`FAIL ${where}: ${fail}`);
  } else {
    passed++;
    if (!args.short) console.log(`ok ${where}`);
  }
}
for (const { lua } of states.values()) lua.close();
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
