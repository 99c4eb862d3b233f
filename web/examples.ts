// examples.ts - the playground's examples menu: Lua programs that show what this library does
// differently (persistence, snapshots, budgets, memory) plus the seed's own examples
// (../shared/seed/PERFORMANCE_GUIDE.md, made runnable). Data only.
// Invariant: every example runs as it is in a fresh state (with the settings it carries).

import type { Settings } from "./protocol.js";

export interface Example {
  id: string;
  title: string;
  code: string;
  /**
   * Budgets the example needs, applied when it is chosen (the page says so); those not given are none.
   */
  settings?: Partial<Settings>;
}

const hello = `-- Globals live on between runs; _home also survives a reload
-- (it is saved to IndexedDB after every run). Ctrl+Enter runs.
_home.visits = (_home.visits or 0) + 1
greeting = "hello from " .. _VERSION
print(greeting)
print("runs so far (kept in _home):", _home.visits)
return _home.visits, 7 // 2, 7 / 2
`;

const seedOps = `-- The seed's "Measuring Specific Operations" (PERFORMANCE_GUIDE.md),
-- timed from Lua with os.clock instead of the guide's JS harness.
local function bench(name, f, n)
  local t = os.clock()
  for _ = 1, n do f() end
  local ms = (os.clock() - t) * 1000
  print(string.format("%-16s %8.2f ms (%.3f us per iteration)", name, ms, ms * 1000 / n))
end

bench("empty eval", function() return nil end, 100000)
bench("arithmetic", function() return 1 + 2 + 3 + 4 + 5 end, 100000)
bench("string concat", function() return "a" .. "b" .. "c" end, 100000)
bench("table access", function()
  local t = ext.table()
  t["key"] = "value"
  return t["key"]
end, 10000)
`;

const seedStrings = `-- The seed's "Optimize String Operations": building a string
-- with .. in a loop (SLOW) against table.concat (FAST).
local function slow()
  local s = ""
  for i = 1, 1000 do
    s = s .. "item_" .. i .. "\\n"
  end
  return s
end

local function fast()
  local lines = {}
  for i = 1, 1000 do
    table.insert(lines, "item_" .. i)
  end
  return table.concat(lines, "\\n")
end

for _, case in ipairs({ { "slow (..)", slow }, { "fast (table.concat)", fast } }) do
  local t = os.clock()
  local s
  for _ = 1, 50 do s = case[2]() end
  print(string.format("%-20s %7.2f ms  (%d bytes)", case[1], (os.clock() - t) * 1000, #s))
end
`;

const seedExt = `-- The seed's "Minimize FFI Crossings" and "Cache External Table
-- References": an external table keeps its data in the host, so every
-- access crosses the wasm boundary. Batch in a Lua table, then store once.
local function timed(name, f)
  local t = os.clock()
  f()
  print(string.format("%-28s %7.2f ms", name, (os.clock() - t) * 1000))
end

timed("1000 writes to ext.table()", function()
  local t = ext.table()
  for i = 1, 1000 do t["key_" .. i] = i end
end)

timed("1000 writes to a Lua table", function()
  local t = {}
  for i = 1, 1000 do t["key_" .. i] = i end
end)

timed("batch, then one store", function()
  local batch = {}
  for i = 1, 1000 do batch["key_" .. i] = i end
  _io.batch = batch          -- copied into external tables in one go
end)
print("entries now in _io.batch:", ext.size(_io.batch))
`;

const seedMemory = `-- The seed's "Memory Profiling from Lua": collectgarbage("count") is real
-- here (the Memory panel plots the same figure after every run).
local before = collectgarbage("count")
local t = {}
for j = 1, 10000 do t[j] = { j, tostring(j) } end
local after = collectgarbage("count")
print(string.format("Memory used: %.1f KB", after - before))
t = nil
collectgarbage()
print(string.format("After collecting: %.1f KB above the start", collectgarbage("count") - before))
`;

const coroutines = `-- A coroutine is part of the state: it keeps its place between runs,
-- and a snapshot (Download) carries it to another page or a later visit.
gen = coroutine.wrap(function()
  local a, b = 0, 1
  while true do
    coroutine.yield(a)
    a, b = b, a + b
  end
end)
for _ = 1, 5 do print(gen()) end
-- Now type  gen()  in the REPL below: it goes on where it stopped.
-- Download a snapshot, reload the page, Restore it: gen() still goes on.
`;

const closure = `-- A closure stored in _home keeps its upvalues: run this, reload the
-- page, run it again: the counter counts on (globals do not survive a
-- reload, _home does).
if _home.counter == nil then
  local n = 0
  _home.counter = function() n = n + 1 return n end
  print("counter created")
end
print("counter:", _home.counter())
`;

const runaway = `-- A runaway loop under a budget: this example set the instruction limit
-- to 10,000,000 (see Budgets). The limit is an error pcall cannot catch,
-- and the state stays usable afterwards. Without a budget, press Stop.
print("looping...")
local ok = pcall(function() while true do end end)
print("never printed", ok)
`;

const fib = `-- Naive recursive Fibonacci. The status line shows the time of the
-- whole run; "Compare with wasmoon" runs the same code there.
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
local t = os.clock()
local r = fib(30)
print(string.format("fib(30) = %d in %.1f ms", r, (os.clock() - t) * 1000))
`;

const errors = `-- Errors come with Lua's message, its traceback, and the line marked.
local function check(x)
  if type(x) ~= "number" then
    error("expected a number, got " .. type(x), 2)
  end
  return x
end

local function total(list)
  local s = 0
  for _, v in ipairs(list) do s = s + check(v) end
  return s
end

print(total({ 1, 2, 3 }))
print(total({ 1, "two", 3 }))
`;

const streaming = `-- Output arrives as it is printed, while the interpreter keeps working
-- in its Web Worker (a long run pauses every few ms to hand it over).
for i = 1, 5 do
  print("step " .. i)
  local t = os.clock()
  while os.clock() - t < 0.4 do end
end
print("done")
`;

export const EXAMPLES: Example[] = [
  { id: "hello", title: "Hello, persistent state", code: hello },
  { id: "closure", title: "A closure that survives reloads", code: closure },
  { id: "coroutines", title: "Coroutines (continue after a snapshot)", code: coroutines },
  { id: "runaway", title: "A budgeted infinite loop", code: runaway, settings: { instructionLimit: 10_000_000 } },
  { id: "fib", title: "Benchmark: fib(30)", code: fib },
  { id: "errors", title: "Errors and tracebacks", code: errors },
  { id: "streaming", title: "Streaming output", code: streaming },
  { id: "seed-ops", title: "Seed guide: measuring operations", code: seedOps },
  { id: "seed-strings", title: "Seed guide: string building", code: seedStrings },
  { id: "seed-ext", title: "Seed guide: FFI crossings", code: seedExt },
  { id: "seed-memory", title: "Seed guide: memory profiling", code: seedMemory },
];
