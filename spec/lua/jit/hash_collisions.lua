-- The JIT's short-string lookups (assembly/jit/lookup.ts) on keys away from their main position:
-- tables of 2 to 40 keys, so that keys share chains; reads and writes with constant keys
-- (GETFIELD, SETFIELD, GETTABUP, SETTABUP) and with keys in registers (GETTABLE, SETTABLE) of
-- every key of each table; keys set to nil and set again (a dead key keeps its node), tables
-- rehashed while a loop reads them, absent keys (nil) and a missing key read through __index.
-- Every function runs many times so that, with the JIT on, its compiled code does the work.

local names = {}
for i = 1, 40 do names[i] = "k" .. i end

local function build(n)
  local t = {}
  for i = 1, n do t[names[i]] = i end
  return t
end

-- register keys: every key of tables of several sizes, read and written
local function sumkeys(t, n, rounds)
  local s = 0
  for r = 1, rounds do
    for i = 1, n do
      local k = names[i]
      s = s + t[k]
      t[k] = t[k] + 1
    end
  end
  return s
end
for _, n in ipairs({ 2, 3, 5, 7, 8, 9, 16, 17, 31, 40 }) do
  local t = build(n)
  io.write(n, ":", sumkeys(t, n, 30), ":", t[names[n]], " ")
end
print()

-- constant keys: a table of seven fields (eight nodes: some keys collide)
local function body() return { x = 1.5, y = 2.5, z = 3.5, vx = 0.25, vy = 0.5, vz = 0.75, mass = 4 } end
local function step(b, n)
  for i = 1, n do
    b.vx = b.vx + b.x * 0.5
    b.vy = b.vy + b.y * 0.25
    b.vz = b.vz - b.z * b.mass
    b.x, b.y, b.z = b.x + b.vx, b.y + b.vy, b.z + b.vz
  end
  return b.x, b.y, b.z, b.vx, b.vy, b.vz, b.mass
end
print(step(body(), 60))

-- a key set to nil and set again (its node stays, dead, then live again), and read as nil meanwhile
local function toggle(t, n)
  local present, absent = 0, 0
  for i = 1, n do
    if i % 3 == 0 then t.vy = nil else t.vy = i end
    if t.vy == nil then absent = absent + 1 else present = present + t.vy end
    if t.nothere ~= nil then present = -1 end
  end
  return present, absent
end
print(toggle(body(), 90))

-- the table rehashed while the loop reads it: new keys added as it goes
local function grow(n)
  local t = { a = 1, b = 2 }
  local s = 0
  for i = 1, n do
    t[names[i % 40 + 1]] = i
    s = s + t.a + t.b + (t.k5 or 0)
    t.a = t.a + 1
  end
  return s, t.a, t.k5
end
print(grow(200))

-- GETTABUP / SETTABUP: an upvalue table with colliding keys
local env = build(12)
local function upv(n)
  local s = 0
  for i = 1, n do
    env.k3 = env.k3 + 1
    s = s + env.k1 + env.k7 + env.k12 + env.k3
  end
  return s, env.k3
end
print(upv(70))

-- a missing key read through __index among colliding keys
local proto = build(9)
local obj = setmetatable(build(6), { __index = proto })
local function via(o, n)
  local s = 0
  for i = 1, n do s = s + o.k2 + o.k8 + o.k9 end
  return s
end
print(via(obj, 50))
