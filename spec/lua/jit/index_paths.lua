-- The JIT's inline index paths (assembly/jit/lookup.ts, compile.ts storeslot) against the
-- interpreter's: SELF, GETFIELD and GETTABUP through chains of table-valued __index (found, nil at
-- the end, a function __index, chains longer than the inline walk, a loop), stores into present
-- slots holding nil (with and without __newindex, and the metamethod absence caches cleared by
-- such a store), while loops entered mid-way, errors and tracebacks raised inside them. Every
-- function runs many times so that, with the JIT on, its compiled code does the work.

-- methods through classes: own, one level, three levels
local Base = {} Base.__index = Base
function Base:name() return "base" end
function Base:kind() return "b" end
local Mid = setmetatable({}, { __index = Base }) Mid.__index = Mid
function Mid:name() return "mid" end
local Top = setmetatable({}, { __index = Mid }) Top.__index = Top
local objs = { setmetatable({}, Base), setmetatable({}, Mid), setmetatable({}, Top),
  setmetatable({ name = function() return "own" end }, Top) }
local out = {}
for r = 1, 40 do
  for i = 1, #objs do out[#out + 1] = objs[i]:name() .. objs[i]:kind() end
end
print(#out, out[1], out[2], out[3], out[4], out[#out])

-- a field read that ends without a value: nil, without consulting more than the chain
local function field(o, n) local s = 0 for i = 1, n do if o.missing == nil then s = s + 1 end end return s end
print(field(objs[1], 50), field(objs[3], 50), field({}, 50), field(setmetatable({}, {}), 50))

-- present keys holding nil: __index applies, as for absent ones
local holes = setmetatable({ a = 1, b = 2 }, { __index = function(_, k) return "idx:" .. k end })
holes.a = nil
local got = {}
for i = 1, 30 do got[i] = holes.a .. "/" .. holes.b end
print(got[1], got[30])

-- a function __index at the end of a table chain, and a chain longer than the inline walk
local calls = 0
local deep = setmetatable({}, { __index = function(_, k) calls = calls + 1 return k .. "!" end })
for _ = 1, 8 do deep = setmetatable({}, { __index = deep }) end
local last
for i = 1, 25 do last = deep.key end
print(last, calls)
local far = { leaf = "far leaf" }
for _ = 1, 12 do far = setmetatable({}, { __index = far }) end
for i = 1, 25 do last = far.leaf end
print(last, far.none)

-- globals through _ENV's metatable
local env = setmetatable({ print = print }, { __index = _G })
local function readglobals()
  local _ENV = env
  local n = 0
  for i = 1, 30 do if string and undefinedglobal == nil then n = n + 1 end end
  return n
end
print(readglobals())

-- an __index loop: the interpreter's message
local loop1 = {}
local loop2 = setmetatable({}, { __index = loop1 })
setmetatable(loop1, { __index = loop2 })
for i = 1, 3 do print(pcall(function() return loop1.x end)) end

-- the absence of __index cached in a metatable, then __index stored into its present nil slot
local mt = { __index = 1 }
mt.__index = nil
local obj = setmetatable({}, mt)
local function probe(n) local v for i = 1, n do v = obj.foo end return v end
print(probe(20))
local function setidx(m, v) m.__index = v end
setidx(mt, { foo = 42 })
print(probe(20))

-- stores into present nil slots: raw without __newindex, the metamethod with it
local function fillnil(t, n) for i = 1, n do t[i] = i * 2 end return t end
local pre = fillnil({ nil, nil, nil, nil, nil, nil, nil, nil }, 8)
print(#pre, pre[1], pre[8])
local logged = {}
local guarded = setmetatable({ nil, nil, nil, nil }, { __newindex = function(t, k, v) logged[#logged + 1] = k rawset(t, k, -v) end })
fillnil(guarded, 4)
print(table.concat(logged, ","), guarded[1], guarded[4])
local function setf(t, v) t.x = v end
local rec = { x = 1 }
for i = 1, 20 do setf(rec, nil) setf(rec, i) end
print(rec.x)

-- __newindex cached absent, then added through a present nil slot: the next store must see it
local nmt = { __newindex = 1 }
nmt.__newindex = nil
local target = setmetatable({ y = 0 }, nmt)
local function sety(n) for i = 1, n do target.y = nil target.y = i end end
sety(10)
print(target.y)
local function setnewindex(m, f) m.__newindex = f end
local seenk = {}
setnewindex(nmt, function(t, k, v) seenk[#seenk + 1] = k .. "=" .. tostring(v) rawset(t, k, v) end)
sety(2)
print(target.y, table.concat(seenk, " "))

-- a while loop entered mid-way, with an error raised inside it at the right line
local function spin(n)
  local i, s = 0, 0
  while i < n do
    s = s + i
    if i == n - 1 then local z = nil; s = s + z.field end
    i = i + 1
  end
  return s
end
print(pcall(spin, 200))
local function spin2(n) local i = 0 repeat i = i + 1 until i >= n return i end
local w = 0
local function wl(n) local i = 0 while true do i = i + 1 if i >= n then break end end return i end
for r = 1, 20 do w = w + wl(100) + spin2(50) end
print(w)
print(select(2, xpcall(spin, function(m) return debug.traceback(m, 1):match("^[^\n]*\n[^\n]*\n[^\n]*") end, 50)))

-- methods of strings (SELF on a string: the strings' metatable), a missing one, and a replaced __index
local function up(n) local r for i = 1, n do r = ("ab" .. i):upper():sub(1, 3) end return r end
print(up(30), pcall(function() local s = "x" return s:nosuchmethod() end))
local smt = getmetatable("")
local saved = smt.__index
smt.__index = setmetatable({ shout = function(s) return s:upper() .. "!" end }, { __index = saved })
print(up(5), ("hey"):shout(), ("a,b"):find(",", 1, true))
smt.__index = function(s, k) return function() return k .. "@" .. s end end
print(("q"):anything())
smt.__index = saved
print(up(2))
