#!/usr/bin/env node
// gc-pause.mjs - the collector's longest pause with a large live heap (docs/PERFORMANCE.md, GC).
// Builds ~MB megabytes of live tables and strings (chunks of 1000 entries {n, "str"..n, {x = n}}),
// then runs a mutator that allocates short-lived tables and strings and records the longest time
// between two consecutive iterations (os.clock, CPU seconds) over three collection cycles, after a
// first warm-up cycle (a self-re-registering __gc sentinel counts cycles). That longest gap is the
// longest pause the program saw: one incremental step (or the atomic phase) plus one iteration.
// The warm-up cycle's longest gap is printed too: there the string table grows to its final size
// (a rehash of every interned string, in string.ts, which is not collector work).
// Also reported: the time of one full collection (collectgarbage(), what a stop-the-world
// collector would pause for) and the mutator's total time.
//   node bench/gc-pause.mjs [MB=100] [--lua lua5.4] [--wasm build/lua.wasm]
// Engines: lua-wasm (bin/lua.js, the release build unless --wasm) and, if found, native Lua
// (`--lua PATH`, default lua5.4 on PATH) for comparison. Output: one line per engine.

import { spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : def;
};
const luaBin = opt("--lua", "lua5.4");
const wasm = opt("--wasm", undefined);
const MB = Number(args[0] ?? 100);

const PROGRAM = String.raw`
local MB = ${MB}
local clock = os.clock
local live, n = {}, 0
while collectgarbage("count") < MB * 1024 do
  local chunk = {}
  for i = 1, 1000 do
    n = n + 1
    chunk[i] = {n, "str" .. n, {x = n}}
  end
  live[#live + 1] = chunk
end
collectgarbage()
local t0 = clock()
collectgarbage()
local full = clock() - t0
local heap = collectgarbage("count") / 1024

local cycles = 0
local mt = {}
mt.__gc = function () cycles = cycles + 1; setmetatable({}, mt) end
setmetatable({}, mt)

local keep, iters = {}, 0
-- one loop, two phases: the first cycle (warm-up: the string table grows to its final size, which
-- is a rehash of every string, not collector work) and the next three cycles (measured)
local function run (untilcycles)
  local maxgap, over1, over5, last = 0, 0, 0, clock()
  local start, i0 = last, iters
  while cycles < untilcycles do
    iters = iters + 1
    keep[iters % 64 + 1] = {iters, "g" .. iters}
    local now = clock()
    local gap = now - last
    if gap > maxgap then maxgap = gap end
    if gap > 0.001 then over1 = over1 + 1; if gap > 0.005 then over5 = over5 + 1 end end
    last = now
  end
  return maxgap, over1, over5, clock() - start, iters - i0
end
local wmax = run(1)
local maxgap, over1, over5, total, n2 = run(4)
print(string.format("live heap %.1f MB (%d entries), full collection %.1f ms; over 3 cycles: longest pause %.2f ms, pauses > 1 ms: %d, > 5 ms: %d, mutator %.2f s for %d iterations; first cycle's longest pause %.1f ms",
  heap, n, full * 1000, maxgap * 1000, over1, over5, total, n2, wmax * 1000))
`;

const dir = mkdtempSync(join(tmpdir(), "gc-pause-"));
const file = join(dir, "gcpause.lua");
writeFileSync(file, PROGRAM);

function run(label, cmd, argv, env) {
  const r = spawnSync(cmd, argv, { encoding: "utf8", env: { ...process.env, ...env } });
  if (r.error) {
    console.log(`${label.padEnd(10)} not run (${r.error.code ?? r.error.message})`);
    return;
  }
  const out = (r.stdout + r.stderr).trim();
  console.log(`${label.padEnd(10)} ${out}`);
}

run("lua-wasm", process.execPath, [join(ROOT, "bin/lua.js"), file], wasm ? { LUA_WASM: resolve(wasm) } : {});
run(luaBin.split("/").pop(), luaBin, [file]);
