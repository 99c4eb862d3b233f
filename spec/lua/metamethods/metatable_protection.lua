-- __metatable field protects the metatable.
local mt = { __metatable = "locked" }
local t = setmetatable({}, mt)
print(getmetatable(t))
print(pcall(setmetatable, t, {}))
print(pcall(setmetatable, t, nil))
-- __metatable can be any value, including false
local f = setmetatable({}, { __metatable = false })
print(getmetatable(f))
print(pcall(setmetatable, f, {}))
local tbl = {}
local g = setmetatable({}, { __metatable = tbl })
print(getmetatable(g) == tbl)
-- without __metatable, getmetatable returns the real metatable
local plain = {}
local p = setmetatable({}, plain)
print(getmetatable(p) == plain)
print(setmetatable(p, nil) == p, getmetatable(p))
-- metatables of strings
print(getmetatable("").__index == string)
print(getmetatable("abc") == getmetatable(""))
-- numbers, booleans, nil, functions have no metatable by default
print(getmetatable(1), getmetatable(true), getmetatable(nil), getmetatable(print))
-- setmetatable argument checks
print(pcall(setmetatable, 1, {}))
print(pcall(setmetatable, {}, 1))
print(pcall(setmetatable, {}))
print(pcall(setmetatable))
print(pcall(getmetatable))
-- setmetatable returns its first argument
local r = {}
print(setmetatable(r, {}) == r)
-- rawequal bypasses __eq
local eqmt = { __eq = function() return true end }
local a, b = setmetatable({}, eqmt), setmetatable({}, eqmt)
print(a == b, rawequal(a, b), rawequal(a, a))
-- metamethods are looked up with rawget on the metatable
local proxyMt = setmetatable({}, { __index = function(_, k) return function() return "proxied " .. k end end })
local pt = setmetatable({}, proxyMt)
print(pcall(function() return pt + 1 end))
