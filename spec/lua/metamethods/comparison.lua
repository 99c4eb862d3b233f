-- __eq, __lt, __le.
local mt = {}
local function P(v) return setmetatable({ v = v }, mt) end
mt.__eq = function(a, b) return a.v == b.v end
mt.__lt = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av < bv
end
mt.__le = function(a, b)
  local av = type(a) == "table" and a.v or a
  local bv = type(b) == "table" and b.v or b
  return av <= bv
end
local a, b, c = P(1), P(2), P(1)
print(a == c, a ~= c, a == b, a ~= b, rawequal(a, c))
print(a < b, b < a, a <= c, b <= a, a > b, b >= a)
-- mixed with numbers: __lt/__le are tried, __eq is not
print(a < 5, 5 < a, a <= 1, 0 >= a)
print(a == 1, 1 == a)
-- __eq is only called for two tables (or two userdata)
local called = 0
local eqmt = { __eq = function() called = called + 1; return true end }
local x, y = setmetatable({}, eqmt), setmetatable({}, eqmt)
print(x == y, x == {}, {} == x, x == "str", x == x, called)
-- __eq result is converted to boolean
local truthy = setmetatable({}, { __eq = function() return "yes" end })
print(truthy == {}, truthy ~= {})
local falsy = setmetatable({}, { __eq = function() return nil end })
print(falsy == {}, falsy ~= {})
-- __lt results converted to boolean
local lt = setmetatable({}, { __lt = function() return 0 end, __le = function() return false end })
print(lt < lt, lt > lt, lt <= lt, lt >= lt)
-- Lua 5.4 no longer uses __lt to emulate __le
local onlyLt = setmetatable({}, { __lt = function() return true end })
print(onlyLt < onlyLt, pcall(function() return onlyLt <= onlyLt end))
-- sorting with __lt
local list = { P(3), P(1), P(2) }
table.sort(list)
print(list[1].v, list[2].v, list[3].v)
-- errors without metamethods
print(pcall(function() return {} < {} end))
print(pcall(function() return {} <= 1 end))
print(pcall(function() return 1 < nil end))
print(pcall(function() return "a" < 1 end))
print(pcall(function() return nil > 1 end))
print(pcall(function() return true >= false end))
print(pcall(function() local t = setmetatable({}, {}); return t < t end))
