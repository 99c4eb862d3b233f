-- setmetatable called from compiled code (jit/helpers.ts fastnative: done without its frame when it
-- cannot fail, else the native with its messages): as a tail call and as a call wanting 0, 1, 2 or
-- all results; nil to remove a metatable; extra arguments; a protected metatable; arguments of the
-- wrong types; a metatable with __gc (the object finalized) and with __mode (weak entries cleared);
-- a global setmetatable replaced by a Lua function. Every function runs many times.

local Cls = { name = "Cls" } Cls.__index = Cls
local function new(x) return setmetatable({ x = x }, Cls) end
local function new0(t, m) setmetatable(t, m) return t end
local function new1(t, m) local r = setmetatable(t, m) return r end
local function new2(t, m) local a, b = setmetatable(t, m) return a, b end
local function newall(t, m) return select("#", setmetatable(t, m)), (setmetatable(t, m)) end
local function extra(t, m) return setmetatable(t, m, "extra", 4) end
local n = 0
for i = 1, 60 do
  local o = new(i)
  n = n + o.x + (getmetatable(o) == Cls and 1 or 0)
  local t = {}
  n = n + (new0(t, Cls) == t and 1 or 0) + (getmetatable(t) == Cls and 1 or 0)
  n = n + (new1({}, Cls).name == "Cls" and 1 or 0)
  local a, b = new2({}, Cls)
  n = n + (b == nil and 1 or 0) + (a.name == "Cls" and 1 or 0)
  local cnt, r = newall({}, nil)
  n = n + cnt + (getmetatable(r) == nil and 1 or 0)
  n = n + (getmetatable(extra({}, Cls)) == Cls and 1 or 0)
end
print(n)

-- removing a metatable, and replacing one
local o = new(1)
for i = 1, 30 do new0(o, nil) end
print(getmetatable(o), o.name)
for i = 1, 30 do new0(o, i % 2 == 0 and Cls or { __index = { name = "other" } }) end
print(getmetatable(o) == Cls, o.name)

-- errors: lua5.4's messages, raised by the native itself
local protected = setmetatable({}, { __metatable = "locked" })
for i = 1, 3 do print(pcall(new0, protected, Cls)) end
for i = 1, 3 do print(pcall(new1, protected, nil)) end
print(getmetatable(protected))
for _, args in ipairs({ { 42, Cls }, { "s", Cls }, { nil, Cls }, { {}, 42 }, { {}, "mt" }, { {}, true } }) do
  print(pcall(new0, args[1], args[2]))
  print(pcall(new1, args[1], args[2]))
end
local function onlyone(t) return setmetatable(t) end
print(pcall(onlyone, {}))
local function none() return setmetatable() end
print(pcall(none))

-- __gc: objects given a finalizing metatable from compiled code are finalized
local finalized = 0
local G = { __gc = function() finalized = finalized + 1 end }
local function fin() return setmetatable({}, G) end
for i = 1, 50 do fin() end
collectgarbage() collectgarbage()
print(finalized)

-- __mode: a weak-valued table made by compiled code loses its collected values
local W = { __mode = "v" }
local function weak() return setmetatable({}, W) end
local w
for i = 1, 20 do w = weak() end
w[1] = {} w[2] = "kept"
collectgarbage() collectgarbage()
print(w[1], w[2])

-- a global setmetatable replaced by a Lua function: called, not the native
local saved = setmetatable
local calls = 0
setmetatable = function(t, m) calls = calls + 1 return saved(t, m) end
local function viaglobal(t) return setmetatable(t, Cls) end
for i = 1, 30 do viaglobal({}) end
setmetatable = saved
print(calls, getmetatable(viaglobal({})) == Cls)
