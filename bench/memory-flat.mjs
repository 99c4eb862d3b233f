// memory-flat.mjs - the collector goal "memory flat over 1,000,000 evals of a snippet that allocates
// and drops a table": runs the evals through LuaPersistent and prints lua_memory_used (after a full
// collection) and wasm pages at the start, every 100,000 evals, and at the end. A report, not a test
// (spec/host/memory.test.ts checks 100,000 evals with a tolerance).
//   node bench/memory-flat.mjs [evals]
import { LuaPersistent } from "../dist/host/index.js";

const total = Number(process.argv[2] ?? 1_000_000);
const lua = new LuaPersistent();
await lua.load();
lua.init();
const snippet = "local t = {} for i = 1, 10 do t[i] = { i, tostring(i) } end return #t";
const sample = (n) => {
  lua.gc();
  const s = lua.getMemoryStats();
  console.log(
    `${String(n).padStart(9)} evals  lua_memory_used ${String(s.lua_memory_used).padStart(9)} B  wasm pages ${s.wasm_pages}`,
  );
  return s;
};
const first = sample(0);
const t0 = performance.now();
for (let i = 1; i <= total; i++) {
  if (lua.eval(snippet) === null) throw new Error(lua.getLastError() ?? "eval failed");
  if (i % 100_000 === 0) sample(i);
}
const last = sample(total);
console.log(
  `${total} evals in ${((performance.now() - t0) / 1000).toFixed(1)} s; memory change ${last.lua_memory_used - first.lua_memory_used} B`,
);
