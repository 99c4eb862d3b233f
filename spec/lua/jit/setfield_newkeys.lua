-- SETFIELD of keys a table does not have yet, in compiled code (assembly/jit/compile.ts newkey: the
-- key's free main position written inline; collisions, rehashes, __newindex and nil values go to
-- the helper): constructors, fields added to objects one by one, colliding and reused (dead) keys,
-- "__" keys stored into a metatable whose absent metamethods were cached, __newindex (a function,
-- a table, added later), nil stored into an absent key, and iteration over what was built (the
-- same keys and values as lua5.4, compared sorted). Every function runs many times.

local function sorted(t)
  local ks = {}
  for k, v in pairs(t) do ks[#ks + 1] = tostring(k) .. "=" .. tostring(v) end
  table.sort(ks)
  return table.concat(ks, " ")
end

local function point(x, y) return { x = x, y = y } end
local function build(i)
  local o = {}
  o.a = i o.b = i + 1 o.c = i + 2 o.d = "d" o.e = true o.f = 1.5 o.g = o.a o.h = false
  o.i = i o.j = i o.k = i o.l = i o.m = i o.n = i o.o = i o.p = i o.q = i   -- (past the 16 nodes: rehash)
  return o
end
local last, lp
for i = 1, 60 do last = build(i) lp = point(i, -i) end
print(sorted(last))
print(sorted(lp))

-- removed keys: stored again (their dead nodes reused), and nil into absent keys (nothing stored)
local function refill(t, v) t.x = v t.y = v t.z = nil return t end
local t = { x = 1, y = 2 }
for i = 1, 40 do t.x = nil t.y = nil refill(t, i) end
print(sorted(t), rawget(t, "z"))

-- a metatable whose __index absence was cached by a miss, then given __index by a new-key store
local function addindex(mt, v) mt.__index = v end
local function addnewindex(mt, v) mt.__newindex = v end
for i = 1, 30 do
  local mt = {}
  local o = setmetatable({}, mt)
  local before = o.foo
  addindex(mt, { foo = "found " .. i })
  if i == 30 then print(before, o.foo) end
end

-- __newindex: a function, a table, and one added after the first stores
local log = {}
local function setall(o, i) o.p = i o.q = i * 2 return o end
local withfn = setmetatable({}, { __newindex = function(t, k, v) log[#log + 1] = k .. v rawset(t, k, -v) end })
local sink = {}
local withtbl = setmetatable({}, { __newindex = sink })
for i = 1, 25 do setall(setmetatable({}, getmetatable(withfn)), i) setall(withtbl, i) end
print(#log, log[1], log[50], sorted(sink), sorted(withtbl))
local late = {}
local lmt = {}
local objs = {}
for i = 1, 30 do
  local o = setmetatable({}, lmt)
  if i == 20 then addnewindex(lmt, function(t, k, v) late[#late + 1] = k end) end
  objs[i] = setall(o, i)
end
print(#late, sorted(objs[19]), sorted(objs[20]))

-- many fields through colliding main positions, read back
local names = {}
for i = 1, 40 do names[i] = "f" .. i end
local function fill(keys)
  local o = {}
  for i = 1, #keys do
    local k = keys[i]
    if k == "f1" then o.f1 = i elseif k == "f2" then o.f2 = i elseif k == "f3" then o.f3 = i end
  end
  o.alpha = 1 o.beta = 2 o.gamma = 3 o.delta = 4 o.epsilon = 5
  return o
end
local o
for i = 1, 30 do o = fill(names) end
print(sorted(o))

-- a table that is black (it survived a collection step) getting a new key holding a new table
local keep = {}
local function attach(t, i) t.child = { n = i } t["c" .. i] = nil return t end
collectgarbage()
for i = 1, 50 do attach(keep, i) keep.child = nil end
attach(keep, 99)
collectgarbage()
print(keep.child.n)
