-- hooks_armed_midloop.lua - hooks armed and disarmed from code that a running loop called: the
-- execute loop's fast instance (no per-instruction test, assembly/vm/execute.ts) must hand over to
-- the trapping one before the very next instruction, whichever way the arming code was reached (a
-- native, a metamethod, an iterator, a finalizer, __close, an error handler, a coroutine, a nested
-- loop, a concatenation finished after a resume), and come back when the hook is removed. Counts,
-- lines and events must match lua5.4 exactly.

local n = 0
local function counter() n = n + 1 end
local function arm() debug.sethook(counter, "", 1) end

-- armed by a Lua function called in the middle of a hot loop, then counting every instruction
local s = 0
for i = 1, 1000 do
  s = s + i
  if i == 500 then arm() end
end
debug.sethook()
print("call", n, s)

-- armed by a native called directly (debug.sethook itself), straight-line code after it
n = 0
debug.sethook(counter, "", 1)
local a = 1
a = a + 1
a = a * 3
debug.sethook()
print("native", n, a)

-- armed inside metamethods: __index, __newindex, __add, __lt, __le, __eq, __concat, __len, __unm, __call
local mt = {}
mt.__index = function(t, k) arm() return k end
mt.__newindex = function(t, k, v) arm() end
mt.__add = function(x, y) arm() return 1 end
mt.__lt = function(x, y) arm() return true end
mt.__le = function(x, y) arm() return false end
mt.__eq = function(x, y) arm() return true end
mt.__concat = function(x, y) arm() return "c" end
mt.__len = function(x) arm() return 7 end
mt.__unm = function(x) arm() return -1 end
mt.__call = function(self, x) arm() return x end
local o1, o2 = setmetatable({}, mt), setmetatable({}, mt)
local results = {}
local cases = {
  function() return o1.foo end,
  function() o1.bar = 1 return 0 end,
  function() return o1 + 2 end,
  function() if o1 < o2 then return 1 else return 2 end end,
  function() if o1 <= o2 then return 1 else return 2 end end,
  function() if o1 == o2 then return 1 else return 2 end end,
  function() return o1 .. "x" end,
  function() return #o1 end,
  function() return -o1 end,
  function() return o1(5) end,
}
for j, f in ipairs(cases) do
  n = 0
  local r = f()
  local x = 1
  x = x + 1
  debug.sethook()
  results[#results + 1] = string.format("%d:%s:%d", j, tostring(r), n)
end
print("metamethods", table.concat(results, " "))

-- a repeat-until loop (its backward jump is taken by the comparison itself) armed in its body
n = 0
local k = 0
repeat
  k = k + 1
  if k == 10 then arm() end
until k >= 20
debug.sethook()
print("repeat", n, k)

-- armed by an iterator of a generic for, a Lua function and a native one (call/return events: a
-- count hook would also count OP_TFORLOOP, which PUC runs fused with OP_TFORCALL)
local evs = {}
local function rec(e) evs[#evs + 1] = e:sub(1, 1) end
local function iter(_, i)
  if i == 3 then debug.sethook(rec, "cr") end
  if i < 6 then return i + 1 end
end
local t = 0
for i in iter, nil, 0 do t = t + i end
debug.sethook()
print("iterator", table.concat(evs), t)
evs = {}
local main = coroutine.running()
t = 0
for i in coroutine.wrap(function()
  for i = 1, 4 do
    if i == 3 then debug.sethook(main, rec, "cr") end
    coroutine.yield(i)
  end
end) do t = t + i end
debug.sethook()
print("native iterator", table.concat(evs), t)

-- armed by __close when a block exits
n = 0
do
  local c <close> = setmetatable({}, { __close = function() arm() end })
  local y = 1
end
local z = 2
z = z + 1
debug.sethook()
print("close", n, z)

-- armed by a message handler and by code under pcall, then the caller goes on
n = 0
local ok = xpcall(function() error("boom") end, function(m) arm() return m end)
local w = 1
w = w + 1
debug.sethook()
print("handler", n, ok, w)
n = 0
ok = pcall(function() arm() end)
w = w + 1
debug.sethook()
print("pcall", n, ok, w)

-- armed inside a coroutine (hooks are per thread: the coroutine counts), and by a resume
n = 0
local co = coroutine.wrap(function()
  arm()
  local q = 0
  for i = 1, 10 do q = q + i end
  debug.sethook()
  coroutine.yield(q)
  return "end"
end)
local q = co()
print("coroutine", n, q, co())

-- armed by a table.sort comparator (a nested loop), counted in the caller afterwards
n = 0
local arr = { 3, 1, 2 }
local armed = false
table.sort(arr, function(x, y) if not armed then armed = true debug.sethook(counter, "", 1) end return x < y end)
local before = n
local v = 1
v = v + 1
debug.sethook()
print("sort", n - before > 0, arr[1], arr[2], arr[3])

-- a line hook armed mid-function sees the following lines
local lines = {}
local function lineseen(_, l) lines[#lines + 1] = l end
local function f()
  local u = 1
  debug.sethook(lineseen, "l")
  u = u + 1
  u = u * 2
  debug.sethook()
  return u
end
print("lines", f(), table.concat(lines, ","))

-- call and return events of functions after arming from inside a loop
local events = {}
local function ev(e) events[#events + 1] = e end
local function g(x) return x end
for i = 1, 3 do
  if i == 2 then debug.sethook(ev, "cr") end
  g(i)
end
debug.sethook()
print("callret", table.concat(events, ","))

-- disarmed by the hook itself after a few counts, then re-armed and disarmed again
n = 0
debug.sethook(function() n = n + 1 if n == 5 then debug.sethook() end end, "", 1)
local m = 0
for i = 1, 100 do m = m + i end
print("self-removed", n, m)
n = 0
for i = 1, 100 do
  m = m - 1
  if i == 90 then arm() end
end
debug.sethook()
print("re-armed", n, m)

-- armed by a finalizer run during a collection step that a loop triggers
n = 0
setmetatable({}, { __gc = function() arm() end })
collectgarbage()
local r = 1
r = r + 1
debug.sethook()
print("finalizer", n > 0, r)

-- armed by a __concat that runs when a resumed coroutine finishes an interrupted concatenation
-- (the first __concat yielded; the second one runs after the resume, from luaV_finishOp)
local clines = {}
local function crec(_, l) clines[#clines + 1] = l end
local cmt = {}
cmt.__concat = function(a, b)
  local x = type(a) == "table" and a or b
  if x.y then coroutine.yield("in concat") else debug.sethook(crec, "l") end
  return setmetatable({ v = (x.v or "") .. "+" }, cmt)
end
local cco = coroutine.wrap(function()
  local a, b, c = setmetatable({ v = "a" }, cmt), setmetatable({ y = true }, cmt), "c"
  local r = a .. b .. c
  local s = 1
  s = s + 1
  debug.sethook()
  return r.v, s
end)
print(cco())
print(cco())
print("resumed concat", #clines, clines[#clines] - clines[1])
