-- hooks_across_slices.lua - hooks, errors, coroutines and nested loops in code that runs for many
-- slices of the warm phase (65,536 instructions each, assembly/vm/budget.ts): the execute loop
-- leaves to its driver and re-enters between two instructions, which must never show: each
-- instruction is counted and traced exactly once, lines and error positions stay right.
-- (The spec runner starts a fresh runtime per case, so this runs inside the warm phase.)

-- a count hook on every instruction, over ~5 slices
local n = 0
debug.sethook(function() n = n + 1 end, "", 1)
local s = 0
for i = 1, 100000 do s = s + i end
debug.sethook()
print("count/1", n, s)

-- a count hook every 1000 instructions
n = 0
debug.sethook(function() n = n + 1 end, "", 1000)
for i = 1, 300000 do s = s ~ i end
debug.sethook()
print("count/1000", n, s)

-- a line hook over a loop body of two lines
local lines = {}
debug.sethook(function(_, l) lines[l] = (lines[l] or 0) + 1 end, "l")
for i = 1, 40000 do
  s = s + 1
  s = s - 1
end
debug.sethook()
local seen = {}
for l, c in pairs(lines) do seen[#seen + 1] = string.format("%d=%d", l, c) end
table.sort(seen)
print("lines", table.concat(seen, " "))

-- call and return hooks of a function called across slices
local calls, rets = 0, 0
local function f(x) return x + 1 end
debug.sethook(function(ev) if ev == "call" then calls = calls + 1 else rets = rets + 1 end end, "cr")
for i = 1, 30000 do s = f(s) end
debug.sethook()
print("call/return", calls, rets)

-- errors raised after many slices carry the right line, inside and outside pcall
for round = 1, 3 do
  local ok, e = pcall(function()
    local x = 0
    for i = 1, 70000 do x = x + i end
    error("after " .. x)
  end)
  print(round, ok, e)
end
local function deep(k, acc)
  if k == 0 then
    for i = 1, 100000 do acc = acc + i end
    local t = nil
    return t.x + acc
  end
  return deep(k - 1, acc)
end
print(pcall(deep, 50, 0))
print(xpcall(deep, function(m) return "handled: " .. m end, 20, 0))

-- a coroutine whose body runs across slices between its yields
local co = coroutine.wrap(function()
  local acc = 0
  for i = 1, 300000 do
    acc = acc + i
    if i % 100000 == 0 then coroutine.yield(acc) end
  end
  return "done", acc
end)
print(co()) print(co()) print(co()) print(co())

-- nested loops: a comparator (table.sort) and __index functions, many slices in all
local t = {}
for i = 1, 5000 do t[i] = (i * 7919) % 5003 end
table.sort(t, function(a, b) return a > b end)
print("sort", t[1], t[2500], t[5000])
local proxy = setmetatable({}, { __index = function(_, k) local v = 0 for j = 1, 10 do v = v + j end return k + v end })
local sum = 0
for i = 1, 20000 do sum = sum + proxy[i] end
print("index", sum)
