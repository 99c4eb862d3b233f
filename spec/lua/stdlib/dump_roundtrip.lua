-- string.dump / load(binary): round trips keep behaviour; upvalues are not saved (the first one
-- becomes _ENV, the others nil); strip removes debug information; mode checks.

local function roundtrip(f, strip)
  local s = string.dump(f, strip)
  assert(type(s) == "string" and s:sub(1, 4) == "\27Lua")
  return assert(load(s, "=rt", "b"))
end

-- all constant types
local function consts()
  return nil, true, false, 0, -1, math.maxinteger, math.mininteger, 3.5, -0.0, 1/0, -1/0,
    2^53, 0.1, "", "short", string.rep("long string ", 10), "a\0b\255"
end
local g = roundtrip(consts)
print(select("#", g()), select("#", consts()))
local a, b = table.pack(consts()), table.pack(g())
for i = 1, a.n do
  local x, y = a[i], b[i]
  print(i, math.type(x) or type(x), x == y, math.type(x) == math.type(y), tostring(x) == tostring(y))
end
print(1/select(9, g()))                              -- -0.0 keeps its sign

-- many constants (LOADKX / register keys beyond 255 constants)
local src = {"local t = {} "}
for i = 1, 300 do src[#src + 1] = ("t.k%d = %d.5 "):format(i, i) end
src[#src + 1] = "local o = {m = function(self, x) return x end} "
src[#src + 1] = "return t.k1, t.k300, o:m('z'), #t "
local big = assert(load(table.concat(src)))
print(roundtrip(big)())

-- nested functions, varargs, recursion, loops, closures created by the loaded code
local function outer(n, ...)
  local acc = {}
  local function fib(k) if k < 2 then return k end return fib(k - 1) + fib(k - 2) end
  for i = 1, n do acc[#acc + 1] = fib(i) end
  for k, v in ipairs({...}) do acc[#acc + 1] = k * 100 + v end
  local counters = {}
  for i = 1, 3 do counters[i] = function() i = i + 10; return i end end
  local s = 0
  for _, c in ipairs(counters) do s = s + c() + c() end
  local t = {n = select("#", ...), ...}
  return table.concat(acc, ","), s, t.n, #t
end
print(outer(8, 1, 2, 3))
print(roundtrip(outer)(8, 1, 2, 3))
print(roundtrip(outer, true)(8, 1, 2, 3))

-- goto, while/repeat, integer and float for loops, generic for, to-be-closed variables
local function flow()
  local out = {}
  local i = 0
  ::top:: i = i + 1
  if i < 3 then goto top end
  while i < 6 do i = i + 1 end
  repeat i = i - 1 local j = i until j < 2
  for x = 1.0, 2.0, 0.5 do out[#out + 1] = x end
  for x = 10, 1, -4 do out[#out + 1] = x end
  do
    local closed = {}
    do
      local c <close> = setmetatable({}, {__close = function() closed[#closed + 1] = "closed" end})
    end
    out[#out + 1] = closed[1]
  end
  return i, table.concat(out, " ")
end
print(flow())
print(roundtrip(flow)())

-- upvalues are not saved: the first becomes the globals table, the others nil
local up1, up2 = 10, 20
local function ups() return up1, up2 end
local r1, r2 = roundtrip(ups)()
print(r1 == _G, r2)
local function envfirst() return print ~= nil, up1 end
print(roundtrip(envfirst)())
local e1, e2 = load(string.dump(ups), "x", "b", {a = 1})()   -- env replaces the first upvalue
print(type(e1), e1.a, e2)

-- stripped functions lose names and lines; non-stripped keep them
local function fails(t) return t.x.y end
print(pcall(roundtrip(fails), {}))
print(pcall(roundtrip(fails, true), {}))
local function raises() error("msg") end
print(pcall(roundtrip(raises)))
print(pcall(roundtrip(raises, true)))
local function raises2() error("msg2", 2) end
print(pcall(roundtrip(raises2, true)))
print(pcall(roundtrip(function() local x = nil; return x() end, true)))

-- dumping a loaded function again gives an equivalent chunk
local once = string.dump(outer)
local twice = string.dump(load(once))
print(once == twice, #string.dump(outer, true) < #once)

-- mode checks and errors
local s = string.dump(ups)
print(load(s, "c", "t"))
print(load("return 1", "c", "b"))
print(load(s, "c", "bt") ~= nil, load(s, "c", "b") ~= nil)
print(pcall(string.dump, print))
print(pcall(string.dump))
print(pcall(string.dump, {}))
print(pcall(string.dump, coroutine.wrap(function() end)))
-- a reader function returning the chunk in pieces
local pos = 0
print(load(function() pos = pos + 1; return s:sub(pos, pos) end, "pieces", "b") ~= nil)
