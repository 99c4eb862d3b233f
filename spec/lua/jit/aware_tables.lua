-- aware_tables.lua - table units in compiled loops that keep registers in wasm locals
-- (jit/regcache.ts: the loads GETFIELD GETTABLE GETI GETTABUP SELF are "aware": no write-back
-- before them, their result in locals). Their slow half (a metamethod, a collection, an error, a
-- yield) must find every register on the stack and see, after it, what the metamethod changed:
-- locals changed through an upvalue or debug.setlocal by __index or __newindex while the loop
-- holds dirty registers, a full collection inside __index while a table is held only by a register
-- (and a weak table), errors raised by __index (message and traceback), a yield inside __index,
-- and SELF on strings and on a temporary (R[B] is R[A]). Every loop runs many times so that, with
-- the JIT on, its compiled code runs.

local function show(...) print(...) end

-- __index changes the caller's locals through upvalues, between two writes of them (GETFIELD,
-- GETTABLE with a string key, GETI, GETTABUP)
local function upvalue_index(n)
  local acc, k = 0, 1.5
  local p = setmetatable({}, { __index = function (_, key)
    acc = acc * 2; k = k + 1
    return type(key) == "number" and key or #key
  end })
  local key = "abc"
  for i = 1, n do
    acc = acc + i
    k = k * 0.5
    local v = p.field
    acc = acc + v + k
    local w = p[key]
    acc = acc - w
    local x = p[3]
    acc = acc + x
  end
  return acc, k
end

-- the same through debug.setlocal (level 2: the looping function)
local function setlocal_index(n)
  local s, m = 0, 1
  local p = setmetatable({}, { __index = function ()
    local name, v = debug.getlocal(2, 3)
    assert(name == "m")
    debug.setlocal(2, 3, v + 100)
    return 3
  end })
  for i = 1, n do
    m = m + i
    s = s + m
    local v = p.x
    s = s + v + m
  end
  return s, m
end

-- __newindex does the same on a store (SETFIELD SETI SETTABLE)
local function newindex_writer(n)
  local acc, f = 0, 0.25
  local p = setmetatable({}, { __newindex = function (_, key, v)
    acc = acc + 1000; f = f + 1
    local name, v = debug.getlocal(2, 2)
    assert(name == "acc")
    debug.setlocal(2, 2, v + 1)                     -- and by level
  end })
  for i = 1, n do
    acc = acc + i
    f = f * 2
    p.field = acc
    p[i] = f
    p[tostring(i)] = acc
    acc = acc + f
  end
  return acc, f
end

-- a full collection inside __index while a fresh table is held only by a register in locals (and
-- by a weak table): it must survive, and the weak table keep it (the collector stopped, so that
-- only those collections run)
local function gc_in_index(n)
  collectgarbage("stop")
  local weak = setmetatable({}, { __mode = "v" })
  local probe = setmetatable({}, { __index = function () collectgarbage(); return 1 end })
  local sum = 0
  for i = 1, n do
    weak.k = setmetatable({ tag = i }, nil)         -- (a call: its register is then reused)
    local dummy = tostring(i)
    local t = weak.k                                -- the only strong reference: this register
    local one = probe.x                             -- collects
    sum = sum + t.tag + one
    assert(weak.k == t, "weak entry lost")
    local u = weak.k
    local again = probe[i]
    assert(u.tag == i and weak.k == u)
    sum = sum + #dummy * 0 + again * 0
  end
  collectgarbage("restart")
  return sum
end

-- an error raised by __index in a hot loop, with the loop's values in its message
local function index_error(n)
  local count = 0
  local p = setmetatable({}, { __index = function (_, key)
    if key == "bad" then
      local _, c = debug.getlocal(2, 2)             -- count
      error("no " .. key .. " at " .. c)
    end
    return 0
  end })
  for i = 1, n do
    count = count + i
    local v = p.good
    count = count + v
    if i == n then local _ = p.bad end
  end
end

-- an error of the operation itself (indexing a nil field) from compiled code
local function index_nil(n)
  local t = { a = { b = 1 } }
  local s = 0
  for i = 1, n do
    if i == n then t.a = nil end
    s = s + t.a.b
  end
  return s
end

-- a yield inside __index called from a compiled loop; the loop goes on where it was
local function yielding(n)
  local p = setmetatable({}, { __index = function (_, key) return coroutine.yield(key) end })
  local co = coroutine.wrap(function ()
    local acc = 0
    for i = 1, n do
      acc = acc + i
      local v = p.ask
      acc = acc * 2 - v
    end
    return "done", acc
  end)
  local out, got = {}, co()
  local k = 0
  while got == "ask" do
    k = k + 1
    got, out[2] = co(k)
  end
  out[1] = got
  return k, out[1], out[2]
end

-- table loads without a fast path (t[0], a long-string constant key) into a register that holds
-- a value in locals: the helper's result replaces it
local longkey = "a long key that is not a short string at all, more than forty chars"
local function nofast(n)
  local t = setmetatable({ [0] = 5, [longkey] = 7 }, { __index = function () return 1 end })
  local s = 0
  for i = 1, n do
    local v = i * 2
    s = s + v
    v = t[0]
    s = s + v
    v = i * 3
    v = t[longkey]
    s = s + v
    v = i + 0.5
    v = t[-1]
    s = s + v
  end
  return s
end

-- table loads straight into a call's arguments (written to the stack, not to locals), into
-- registers that held other values in locals just before
local function id(...) return ... end
local function call_args(n)
  local t, s = { x = 7, [1] = 11, k = "k" }, 0
  local obj = { base = 3, get = function (self, v) return self.base + v end }
  for i = 1, n do
    do local tmp, tmp2, tmp3 = i * 3, i * 5, i * 7; s = s + tmp + tmp2 + tmp3 end
    s = s + id(t.x) + id(t[1]) + select("#", id(t.x, t[1], t[t.k]))
    do local tmp, tmp2, tmp3 = i * 3, i * 5, i * 7; s = s + tmp + tmp2 + tmp3 end
    s = s + obj:get(t.x)
  end
  return s
end

-- GETTABLE whose result replaces its own key or table (t[#t], t = t[k]): the string-key path
-- writes R[A] before the integer path reads R[B] and R[C]
local function self_keys(n)
  local t, s = {}, 0
  for i = 1, 50 do t[i] = i * 3 end
  local nest = { a = { a = { a = 5 } } }
  local ks = { 1, "a", 2 }
  for i = 1, n do
    local x, y = t[i % 50 + 1], t[#t]
    s = s + x + y
    local u = nest
    local k = ks[i % 2 + 2 - 1]
    u = u[k] or u[2]
    if type(u) == "table" then u = u[k]; s = s + (type(u) == "table" and u.a or 0) end
  end
  return s
end

-- SELF on a string (the strings' metatable), on a table through __index tables, and on a
-- temporary (obj.inner:get(): R[B] is R[A])
local Inner = {}
Inner.__index = Inner
function Inner:get(i) return self.base + i end
local function selfs(n)
  local s, acc = "abc", 0
  local obj = { inner = setmetatable({ base = 10 }, Inner) }
  for i = 1, n do
    acc = acc + #s:rep(i % 3) + s:byte(i % 3 + 1)
    acc = acc + obj.inner:get(i)
    local str = s .. i
    acc = acc + #str:upper()
  end
  return acc
end

for round = 1, 60 do
  local r1 = { upvalue_index(40 + round) }
  local r2 = { setlocal_index(30 + round) }
  local r3 = { newindex_writer(20 + round % 7) }
  local r4 = gc_in_index(20 + round % 4)
  local ok, msg = pcall(index_error, 30 + round)
  local ok2, msg2 = pcall(index_nil, 20 + round)
  local r5 = { yielding(20 + round % 3) }
  local r6 = selfs(40 + round)
  local r7 = nofast(30 + round)
  local r8 = call_args(30 + round)
  local r9 = self_keys(30 + round)
  if round % 20 == 0 or round == 1 then
    show(round, table.unpack(r1)) show(table.unpack(r2)) show(table.unpack(r3)) show(r4)
    show(ok, msg) show(ok2, msg2) show(table.unpack(r5)) show(r6, r7, r8, r9)
  end
end
print(select(2, xpcall(index_error, debug.traceback, 3)))
print(select(2, xpcall(index_nil, debug.traceback, 3)))
