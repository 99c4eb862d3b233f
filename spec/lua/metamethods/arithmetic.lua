-- Arithmetic metamethods and mixed number/table operands.
local V = {}
V.__index = V
local function v(x) return setmetatable({ x = x }, V) end
local function val(a) return type(a) == "table" and a.x or a end
V.__add = function(a, b) return v(val(a) + val(b)) end
V.__sub = function(a, b) return v(val(a) - val(b)) end
V.__mul = function(a, b) return v(val(a) * val(b)) end
V.__div = function(a, b) return v(val(a) / val(b)) end
V.__mod = function(a, b) return v(val(a) % val(b)) end
V.__pow = function(a, b) return v(val(a) ^ val(b)) end
V.__unm = function(a, b) return v(-val(a)), rawequal(a, b) end
V.__idiv = function(a, b) return v(val(a) // val(b)) end
local a, b = v(7), v(2)
print((a + b).x, (a - b).x, (a * b).x, (a / b).x, (a % b).x, (a ^ b).x, (-a).x, (a // b).x)
-- mixed operands: number on either side
print((a + 1).x, (1 + a).x, (10 - a).x, (a - 10).x, (2 ^ b).x, (15 // b).x)
print((a + "3").x, ("3" .. "") + 1)
-- the metamethod receives operands in original order
local order = setmetatable({}, { __sub = function(x, y)
  return (type(x) == "table" and "T" or tostring(x)) .. "-" .. (type(y) == "table" and "T" or tostring(y))
end })
print(order - 1, 1 - order, order - order)
-- only the first result is used
local multi = setmetatable({}, { __add = function() return "first", "second" end })
print(multi + 1)
-- __unm receives the operand twice
local u = setmetatable({}, { __unm = function(x, y) return rawequal(x, y) end })
print(-u)
-- left operand's metamethod takes priority
local L = setmetatable({}, { __add = function() return "left" end })
local R = setmetatable({}, { __add = function() return "right" end })
print(L + R, R + L, 1 + R, L + 1)
-- strings with arithmetic metamethods via the string metatable
print("10" + 5, "3" * "4", 10 - "2.5")
-- a metamethod that returns nil/false
local nilres = setmetatable({}, { __add = function() return nil end })
print(nilres + 1)
-- __add defined only on the right table
local onlyRight = setmetatable({}, { __mul = function(x, y) return "right mul" end })
print(5 * onlyRight, onlyRight * 5)
-- results chain through several operations
local s = v(1)
for i = 1, 10 do s = s + i end
print(s.x)
