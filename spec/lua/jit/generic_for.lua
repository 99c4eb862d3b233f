-- Generic for loops in compiled code (assembly/jit/compile.ts TFORPREP, TFORCALL, TFORLOOP, CLOSE;
-- jit/helpers.ts luaJ_tforcall): pairs, ipairs and next over plain tables, tables with __index and
-- __pairs, Lua iterators (closures, coroutine.wrap, a yielding iterator inside a coroutine),
-- natives, iterators that are not callable (lua5.4's messages), to-be-closed 4th values, closures
-- capturing the loop variables (CLOSE with open upvalues), break and goto out of the loop, and
-- keys removed while iterating. Every function runs many times so that its compiled code does it.

local function sum(t) local s, n = 0, 0 for k, v in pairs(t) do s = s + v n = n + 1 end return s, n end
local function isum(t) local s = 0 for i, v in ipairs(t) do s = s + i * v end return s end
local function nsum(t) local s = 0 for k, v in next, t do s = s + v end return s end
local r = {}
for round = 1, 40 do
  local t = { 1, 2, 3, x = 10, y = 20 }
  t[round] = round
  r[#r + 1] = select(1, sum(t)) + isum(t) + nsum(t)
end
print(r[1], r[10], r[40], sum({}), isum({}), nsum({}))

-- ipairs over a table with __index (values past the array part), and with holes
local proxied = setmetatable({ 1, 2 }, { __index = function(_, i) if i <= 5 then return i * 100 end end })
local holes = { 1, 2, nil, 4 }
for _ = 1, 30 do r.a, r.b = isum(proxied), isum(holes) end
print(r.a, r.b)

-- __pairs, and a Lua iterator closure, a coroutine.wrap iterator, string.gmatch
local withpairs = setmetatable({}, { __pairs = function(t) return function(_, k) if k < 3 then return k + 1, k * 2 end end, t, 0 end })
local function range(n) local i = 0 return function() i = i + 1 if i <= n then return i end end end
local function gen(n) return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end) end
local function lua_iters()
  local a, b, c, d = 0, 0, 0, 0
  for k, v in pairs(withpairs) do a = a + k * v end
  for i in range(10) do b = b + i end
  for i in gen(5) do c = c + i end
  for w in string.gmatch("one two three", "%a+") do d = d + #w end
  return a, b, c, d
end
for _ = 1, 30 do r.c = table.pack(lua_iters()) end
print(table.unpack(r.c, 1, 4))

-- an iterator that yields from inside a coroutine (the loop resumes compiled or not)
local function yielding_iter(t)
  local i = 0
  return function() i = i + 1 coroutine.yield("step " .. i) return t[i] end
end
local co = coroutine.wrap(function()
  local s = 0
  for round = 1, 10 do for v in yielding_iter({ 1, 2, 3 }) do s = s + v end end
  return "done " .. s
end)
local last, steps = nil, 0
repeat last = co() steps = steps + 1 until last:sub(1, 4) == "done"
print(last, steps)

-- iterators that are not callable, and errors raised inside the loop
local function badfor(x) for k in x do end end
for _, v in ipairs({ 42, "str", {} }) do
  for _ = 1, 3 do print(pcall(badfor, v)) end
end
local function failing(t) for k, v in pairs(t) do if v == 3 then error("value " .. v) end end end
for _ = 1, 3 do print(pcall(failing, { 1, 2, 3 })) end
print(pcall(function() for k in next, {}, "nokey" do end end))

-- a to-be-closed 4th value: closed when the loop ends, breaks or raises
local log = {}
local function closer(name) return setmetatable({}, { __close = function(_, e) log[#log + 1] = name .. ":" .. tostring(e) end }) end
local function tbcloop(n, stop)
  local s = 0
  local f, st, c0 = ipairs({ 1, 2, 3, 4 })
  for i, v in f, st, c0, closer("c" .. n) do
    if i == stop then break end
    s = s + v
  end
  return s
end
for n = 1, 20 do tbcloop(n, n % 3 + 1) end
print(#log, log[1], log[20])
print(pcall(function() local f, st, c0 = ipairs({}) for i in f, st, c0, 42 do end end))

-- closures capturing the loop variables (each iteration its own), break and goto out of loops
local function capture(t)
  local fs = {}
  for k, v in pairs(t) do fs[#fs + 1] = function() return k .. "=" .. v end end
  table.sort(fs, function(a, b) return a() < b() end)
  local out = {}
  for _, f in ipairs(fs) do out[#out + 1] = f() end
  return table.concat(out, ",")
end
local function findfirst(t, want)
  for i, v in ipairs(t) do if v == want then return i end end
  for k, v in pairs(t) do if v == want then goto found end end
  do return nil end
  ::found:: return "hash"
end
for _ = 1, 30 do r.d = capture({ a = 1, b = 2, c = 3 }) r.e = findfirst({ 5, 6, 7, z = 9 }, 7) r.f = findfirst({ 5, z = 9 }, 9) end
print(r.d, r.e, r.f)

-- keys cleared while iterating (allowed), and the count of what remains
local function clearodd(n)
  local t = {}
  for i = 1, n do t["k" .. i] = i end
  for k, v in pairs(t) do if v % 2 == 1 then t[k] = nil end end
  local c = 0 for _ in pairs(t) do c = c + 1 end
  return c
end
for _ = 1, 20 do r.g = clearodd(50) end
print(r.g)
