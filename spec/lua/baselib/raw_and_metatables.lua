-- rawget/rawset/rawequal/rawlen, setmetatable/getmetatable.
local mt = { __index = function() return "dflt" end, __newindex = function() end, __len = function() return -1 end }
local t = setmetatable({}, mt)
t.a = 1
print(t.a, rawget(t, "a"), #t, rawlen(t))
rawset(t, "a", 2)
print(t.a, rawget(t, "a"))
print(rawequal(t, t), rawequal(t, {}), rawequal("x", "x"), rawequal(1, 1.0), rawequal(1, "1"))
print(rawlen({ 1, 2 }), rawlen("abc"), rawlen(""))
print(getmetatable(t) == mt, getmetatable({}), getmetatable("").__name)
-- setmetatable(t, nil) removes the metatable
setmetatable(t, nil)
print(getmetatable(t), t.missing, #t)
-- __metatable field
local locked = setmetatable({}, { __metatable = "no access" })
print(getmetatable(locked), pcall(setmetatable, locked, {}))
-- getmetatable on strings returns the string metatable
local smt = getmetatable("")
print(type(smt), smt.__index == string)
-- argument errors
print(pcall(rawget, 1, 2))
print(pcall(rawset, {}, 1))
print(pcall(rawlen, true))
print(pcall(setmetatable, {}, "x"))
print(pcall(setmetatable, "x", {}))
