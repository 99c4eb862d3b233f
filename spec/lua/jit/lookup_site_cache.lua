-- The JIT's per-site cache of where a constant key was found (assembly/jit/lookup.ts): one site
-- reading and writing objects of different shapes in turn (the key at different nodes), a table
-- that grows or shrinks under it (the cached offset past a smaller node array), an empty table (the
-- dummy node), a key removed, collected as a dead key and inserted again, a present key holding nil
-- (then __index applies), and GETTABUP/SETTABUP on an upvalue table replaced by another. Every
-- function runs many times so that, with the JIT on, its compiled code does the work.

-- shapes: the same keys inserted in different orders, and more or fewer of them
local function shape(order, extra)
  local t = {}
  for _, k in ipairs(order) do t[k] = #k end
  for i = 1, extra do t["e" .. i] = i end
  return t
end
local objs = {
  shape({ "x", "y", "z", "f" }, 0), shape({ "f", "z", "y", "x" }, 0), shape({ "f" }, 0),
  shape({ "y", "f" }, 20), shape({ "z", "x", "f", "y" }, 5), shape({ "f" }, 60),
}
local function readf(n)
  local s = 0
  for i = 1, n do
    local o = objs[i % #objs + 1]
    s = s + o.f
    o.f = o.f + 1
  end
  return s
end
print(readf(600))
local fs = {}
for i = 1, #objs do fs[i] = objs[i].f end
print(table.concat(fs, " "))

-- a site that found its key far down a big table, then meets a small one and an empty one
local big = shape({}, 200) big.key = "big"
local small = { key = "small" }
local empty = {}
local function key(t, n) local r for i = 1, n do r = t.key end return r end
print(key(big, 50), key(small, 50), key(empty, 50), key(big, 50))

-- growing and shrinking under a running loop
local function churn(n)
  local t = { a = 1 }
  local s = 0
  for i = 1, n do
    s = s + t.a
    if i % 10 == 0 then for j = 1, 30 do t["g" .. j] = j end end
    if i % 10 == 5 then for j = 1, 30 do t["g" .. j] = nil end collectgarbage() end
    t.a = t.a + 1
  end
  return s, t.a
end
print(churn(200))

-- a key removed, collected as a dead key, inserted again (at another node, maybe)
local function rw(t, n)
  local s = 0
  for i = 1, n do s = s + (t.v or 0) end
  return s
end
local t = { v = 1, w = 2, u = 3 }
print(rw(t, 40))
t.v = nil
collectgarbage()
collectgarbage()
for i = 1, 20 do t["p" .. i] = i end
t.v = 5
print(rw(t, 40))
t.v = nil
print(rw(t, 40))

-- a present key holding nil: __index applies at the cached node too
local base = { v = 100 }
local o = setmetatable({ v = 1 }, { __index = base })
print(rw(o, 30))
o.v = nil
print(rw(o, 30))
o.v = 2
print(rw(o, 30))

-- GETTABUP / SETTABUP on an upvalue table replaced by one of another shape
local env = shape({ "a", "b", "c", "d" }, 0)
local function up(n)
  local s = 0
  for i = 1, n do
    env.c = env.c + 1
    s = s + env.c + env.a
  end
  return s
end
print(up(40))
env = shape({ "d", "c" }, 9) env.a = 10
print(up(40))
env = { a = 1, c = 1 }
print(up(40))

-- the cached offset from a big table past the node array of small ones, whose neighbours in memory
-- hold the key: the small tables do not have it
local function getk(t) return t.K end
local bigk = {}
for i = 1, 120 do bigk["k" .. i] = i end
bigk.K = "big"
local smalls, keep = {}, {}
for i = 1, 3000 do
  smalls[i] = { x = i }
  keep[i] = { K = "neighbour" }
end
local found = 0
for r = 1, 3 do
  for i = 1, #smalls do
    if getk(bigk) ~= "big" then found = found - 1000 end
    if getk(smalls[i]) ~= nil then found = found + 1 end
  end
end
print(found, getk(bigk), getk(keep[1]))
