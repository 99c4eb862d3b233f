-- The JIT's constructor and call paths (assembly/jit/compile.ts NEWTABLE, callop; jit/helpers.ts
-- luaJ_newtable, finishsetfield) against the interpreter's: tables made with the sizes NEWTABLE and
-- its EXTRAARG encode, new keys stored by SETFIELD and SETTABUP (no metatable, __newindex a
-- function or a table, a nil value, a non-table), and calls whose arguments run up to the top
-- (f(g())): more, exactly as many and fewer arguments than the callee's parameters, a vararg
-- callee, a native. Every function runs many times so that, with the JIT on, its compiled code
-- does the work.

-- constructors: hash part, array part, both, one past 255 array items (NEWTABLE's k and EXTRAARG)
local Point = {} Point.__index = Point
local function new(x, y) return setmetatable({ x = x, y = y }, Point) end
local function arr(a, b, c) return { a, b, c } end
local function both(a) return { a, a + 1, k = a, [10] = a } end
local big = "return function(v) return { " .. string.rep("v, ", 300) .. "z = v } end"
local mkbig = load(big)()
local sx, sa, sb, n = 0, 0, 0, 0
for i = 1, 400 do
  local p = new(i, -i)
  sx = sx + p.x + p.y
  local t = arr(i, i * 2, nil)
  sa = sa + t[1] + t[2] + #t
  local u = both(i)
  sb = sb + u[1] + u[2] + u.k + u[10]
  if i % 40 == 0 then local b = mkbig(i) n = n + #b + b.z end
end
print(sx, sa, sb, n, getmetatable(new(1, 2)) == Point)

-- new keys through SETFIELD: no metatable, __newindex function, __newindex table, nil values
local log = {}
local watched = setmetatable({}, { __newindex = function(t, k, v) log[#log + 1] = k .. "=" .. tostring(v) rawset(t, k, v) end })
local store = {}
local proxy = setmetatable({}, { __newindex = store })
local function fill(t, v) t.a = v t.b = nil t.c = v return t end
for i = 1, 300 do
  fill({}, i)
  if i % 100 == 0 then fill(watched, i) watched.a, watched.c = nil, nil end
  fill(proxy, i)
end
print(#log, log[1], log[2], log[#log], store.a, store.c, rawget(proxy, "a"), next(fill({}, nil)))

-- SETTABUP of new globals, and a store into a non-table (the interpreter's message)
local function setg(i) newglobal_a = i newglobal_b = i * 2 end
for i = 1, 300 do setg(i) end
print(newglobal_a, newglobal_b)
local function setbad(x, v) x.field = v end
for i = 1, 300 do setbad({}, i) end
print(pcall(setbad, 5, 1))
print(pcall(setbad, nil, 1))

-- calls whose arguments run up to the top (B = 0)
local function two() return 3, 4 end
local function one() return 5 end
local function none() end
local function many() return 1, 2, 3, 4, 5, 6 end
local function add2(a, b) return (a or 0) + (b or 100) end
local function count(...) return select("#", ...) end
local s1, s2, s3, s4, s5, s6 = 0, 0, 0, 0, 0, 0
for i = 1, 500 do
  s1 = s1 + add2(two())
  s2 = s2 + add2(one())
  s3 = s3 + add2(none())
  s4 = s4 + add2(many())
  s5 = s5 + count(many()) + count(none())
  s6 = s6 + math.max(two()) + add2(i, two())
end
print(s1, s2, s3, s4, s5, s6)

-- a callee that errors with arguments from the top: the traceback's frames
local function boom(a, b) if b == nil then error("no b: " .. tostring(a)) end return a + b end
local function drive(f) local s = 0 for i = 1, 300 do s = s + boom(f()) end return s end
print(drive(two))
print(pcall(drive, one))
