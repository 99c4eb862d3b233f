-- Bitwise metamethods: __band __bor __bxor __shl __shr __bnot.
local mt = {}
local function B(n) return setmetatable({ n = n }, mt) end
local function n(x) return type(x) == "table" and x.n or x end
mt.__band = function(a, b) return "band(" .. n(a) .. "," .. n(b) .. ")" end
mt.__bor = function(a, b) return "bor(" .. n(a) .. "," .. n(b) .. ")" end
mt.__bxor = function(a, b) return "bxor(" .. n(a) .. "," .. n(b) .. ")" end
mt.__shl = function(a, b) return "shl(" .. n(a) .. "," .. n(b) .. ")" end
mt.__shr = function(a, b) return "shr(" .. n(a) .. "," .. n(b) .. ")" end
mt.__bnot = function(a, b) return "bnot(" .. n(a) .. "," .. tostring(rawequal(a, b)) .. ")" end
local x, y = B(12), B(10)
print(x & y, x | y, x ~ y, x << y, x >> y, ~x)
print(x & 1, 1 & x, x | 2, 2 | x, x ~ 3, 3 ~ x, x << 4, 4 << x, x >> 5, 5 >> x)
-- floats with non-integral values try metamethods too
local f = setmetatable({}, { __band = function(a, b) return "float band " .. tostring(b) end })
print(f & 1.5)
-- a non-integral float operand with a table having the metamethod
print(pcall(function() return 1.5 & x end))
-- a string operand with a table operand: the table metamethod is used; strings alone error
print(pcall(function() return "12" & x end))
print(pcall(function() local s = "3"; return s | 1 end))
-- error messages when no metamethod
print(pcall(function() local t = {}; return t & 1 end))
print(pcall(function() local t = {}; return 1 | t end))
print(pcall(function() local t = {}; return ~t end))
print(pcall(function() local t = {}; return t << 1 end))
print(pcall(function() return 1.5 | 1 end))
print(pcall(function() return 1 >> 2.5 end))
