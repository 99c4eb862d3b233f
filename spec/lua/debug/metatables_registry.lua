-- debug.getmetatable / setmetatable (any type, no __metatable protection), getregistry,
-- getuservalue / setuservalue on non-userdata, setcstacklimit.

local t = setmetatable({}, {__metatable = "protected"})
print(getmetatable(t), type(debug.getmetatable(t)), debug.getmetatable(t).__metatable)
print(debug.setmetatable(t, nil) == t, getmetatable(t))
print(debug.getmetatable({}), debug.getmetatable(1))

-- metatables for basic types
debug.setmetatable(10, {__index = function (n, k) return k .. n end})
print((5).x, (2.5).y)
print(type(debug.getmetatable(1)))
debug.setmetatable(1, nil)
print(pcall(function () return (5).x end))

debug.setmetatable(nil, {__len = function () return 0 end})
print(#nil)
debug.setmetatable(nil, nil)

debug.setmetatable(print, {__index = {name = "a function"}})
print(print.name, (function () end).name)
debug.setmetatable(print, nil)

local smt = debug.getmetatable("")
print(type(smt), smt.__index == string)

-- the registry
local reg = debug.getregistry()
print(type(reg), type(reg[1]), reg[2] == _G, type(reg._LOADED), reg._LOADED.string == string)

-- user values exist only for full userdata
print(debug.getuservalue(1), debug.getuservalue({}), debug.getuservalue(nil, 2))
print(pcall(debug.setuservalue, {}, 1))
print(pcall(debug.setuservalue, 1))

-- errors
print(pcall(debug.setmetatable, {}, 1))
print(pcall(debug.setmetatable, {}))
print(pcall(debug.getmetatable))
print(debug.setcstacklimit(100))
