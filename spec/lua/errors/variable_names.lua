-- Runtime error messages name the variable involved.
local function e(f) local ok, msg = pcall(f); print(msg) end
-- calls
e(function() undefinedFunction() end)
e(function() local t = {}; t.field() end)
e(function() local t = {}; t:method() end)
e(function() local f; f() end)
local up
e(function() up() end)
e(function() local t = { sub = {} }; t.sub.deeper() end)
e(function() local t = {}; t[1]() end)
e(function() local t = {}; local k = "dyn"; t[k]() end)
e(function() ("str")() end)
e(function() (nil)() end)
e(function() string.nonexistent() end)
e(function() local s = "x"; s:nomethod() end)
-- indexing
e(function() local x; return x.y end)
e(function() return undefinedTable.y end)
e(function() return up.y end)
e(function() local t = {}; return t.a.b end)
e(function() local t = {}; return t[1][2] end)
e(function() local t = {}; t.a.b = 1 end)
e(function() local x = 5; return x.y end)
e(function() local b = true; b.x = 1 end)
e(function() return math.nothing.x end)
-- arithmetic
e(function() local x; return x + 1 end)
e(function() return up + 1 end)
e(function() return gx + 1 end)
e(function() local t = {}; return t.n * 2 end)
e(function() return 1 + {} end)
e(function() local a = "10"; local b = {}; return a + b end)
-- constants: string literals that cannot be indexed/called/compared
e(function() return ("abc").x.y end)
e(function() local k <const> = nil; return k.x end)
e(function() local k <const> = 10; return k.x end)
e(function() local k <const> = "s"; return k() end)
e(function() return #nil end)
e(function() local n = 3; return #n end)
-- upvalue vs local vs global for the same name
local shadow = nil
e(function() return shadow.x end)
e(function() local shadow = nil; return shadow.x end)
e(function() return _ENV.shadow2.x end)
-- for iterator
e(function() for k in 5 do end end)
e(function() for k in nil do end end)
