-- The JIT's inline __index walk (assembly/jit/lookup.ts: indexchain for SELF, $getstr for GETFIELD) while the chain changes under
-- it: an object's metatable replaced between calls, a class's __index replaced by a function, by a
-- string, by nil, by another table; methods added to a class (and to the object) after the first
-- calls, removed from a subclass (the base's shows through), a metatable whose absence of __index
-- was cached and then gets one; chains as long as the inline walk and one level longer; errors
-- with lua5.4's messages. Every site runs many times so that compiled code does the work.

local function call(o, n) local r for i = 1, n do r = o:m() end return r end
local function get(o, n) local r for i = 1, n do r = o.f end return r end

local A = { m = function() return "A.m" end, f = "A.f" } A.__index = A
local B = setmetatable({}, { __index = A }) B.__index = B
local C = setmetatable({}, { __index = B }) C.__index = C
local o = setmetatable({}, C)
print(call(o, 30), get(o, 30))
-- a method added to the middle class, then to the object itself, then removed again
B.m = function() return "B.m" end B.f = "B.f"
print(call(o, 30), get(o, 30))
o.m = function() return "own m" end o.f = "own f"
print(call(o, 30), get(o, 30))
o.m, o.f = nil, nil
B.m, B.f = nil, nil
print(call(o, 30), get(o, 30))
-- the object's metatable replaced between calls
setmetatable(o, B)
print(call(o, 30), get(o, 30))
setmetatable(o, nil)
print(pcall(call, o, 30))
print(get(o, 30))
setmetatable(o, C)
-- the middle link (C's metatable's __index) replaced by a function, by a string, by nil, by
-- another table, then restored; and B's own __index (used only by objects whose metatable is B)
local link = getmetatable(C)
local seen = 0
link.__index = function(t, k) seen = seen + 1 if k == "m" then return function() return "fn " .. k end end return "fn:" .. k end
print(call(o, 30), get(o, 30), seen)
link.__index = "a string"
print(pcall(call, o, 30))
print(get(o, 30))
link.__index = nil
print(pcall(call, o, 30))
print(get(o, 30))
link.__index = { m = function() return "other m" end, f = "other f" }
print(call(o, 30), get(o, 30))
link.__index = B
print(call(o, 30), get(o, 30))
local ob = setmetatable({}, B)
print(call(ob, 30), get(ob, 30))
B.__index = function(_, k) return k == "m" and function() return "B fn" end or "B fn " .. k end
print(call(ob, 30), get(ob, 30), call(o, 30), get(o, 30))
B.__index = B
-- the metatable of the top class: __index absent (cached by a miss), then added
local mt = {}
local obj = setmetatable({}, mt)
print(get(obj, 30))
mt.__index = { f = "late f", m = function() return "late m" end }
print(get(obj, 30), call(obj, 30))
-- a class whose __index holds a false value (not a table: indexed as a boolean)
local D = setmetatable({}, { __index = false })
print(pcall(get, D, 30))
-- chains exactly as long as the inline walk (8 tables), and one longer
local function chain(n, leaf)
  local t = { f = leaf, m = function() return leaf end }
  for _ = 2, n do t = setmetatable({}, { __index = t }) end
  return t
end
for n = 7, 10 do print(n, get(chain(n, "leaf" .. n), 30), call(chain(n, "m" .. n), 30)) end
-- keys that are present with a nil value along the chain (dead keys): the walk goes on past them
local P = { f = "P.f", m = function() return "P.m" end } P.__index = P
local Q = setmetatable({ f = 1, m = 1 }, P) Q.__index = Q
Q.f, Q.m = nil, nil
local q = setmetatable({ f = 2, m = 2 }, Q)
q.f, q.m = nil, nil
print(get(q, 30), call(q, 30))
-- methods of numbers, booleans and strings through SELF: the interpreter's message or string methods
local function strcall(s, n) local r for i = 1, n do r = s:upper() end return r end
print(strcall("abc", 30))
print(pcall(strcall, 42, 30))
print(pcall(call, true, 30))
print(pcall(get, nil, 30))
-- a field read of a global (GETTABUP) through _ENV's __index, which changes
local env = setmetatable({}, { __index = { g = "first" } })
local function readg() local _ENV = env local r for i = 1, 30 do r = g end return r end
print(readg())
getmetatable(env).__index = { g = "second" }
print(readg())
getmetatable(env).__index = function(_, k) return "fn " .. k end
print(readg())
