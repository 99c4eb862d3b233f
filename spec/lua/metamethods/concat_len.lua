-- __concat and __len.
local C = setmetatable({ s = "C" }, { __concat = function(a, b)
  local sa = type(a) == "table" and "<" .. a.s .. ">" or tostring(a)
  local sb = type(b) == "table" and "<" .. b.s .. ">" or tostring(b)
  return sa .. sb
end })
print(C .. "x", "x" .. C, C .. 1, 1 .. C, C .. C)
-- chain: concatenation is right associative; metamethod applied pairwise
print("a" .. "b" .. C .. "d" .. "e")
print(C .. "a" .. "b")
-- __concat returning non-string
local N = setmetatable({}, { __concat = function() return 42 end })
print(N .. "x", math.type(N .. "x"))
-- __concat with booleans / nil
print(C .. true, nil .. C, C .. nil)
-- no metamethod
print(pcall(function() local t = {}; return t .. "x" end))
print(pcall(function() local t = setmetatable({}, {}); return "x" .. t end))
-- __len
local L = setmetatable({ 1, 2, 3 }, { __len = function(t) return 42 end })
print(#L, rawlen(L))
local L2 = setmetatable({}, { __len = function() return "not a number" end })
print(#L2)
local L3 = setmetatable({}, { __len = function(t, extra) return rawequal(t, extra) end })
print(#L3)
local L4 = setmetatable({}, { __len = function() return 1, 2 end })
print(#L4)
-- __len is not used for strings
print(#"abc")
-- ipairs does not use __len (it stops at the first nil)
local cnt = 0
for _ in ipairs(L) do cnt = cnt + 1 end
print(cnt)
-- table.unpack / table.concat use __len
local lenT = setmetatable({ "a", "b", "c", "d" }, { __len = function() return 2 end })
print(table.concat(lenT, ","), table.unpack(lenT))
-- length of values without __len
print(pcall(function() local n = 1; return #n end))
print(pcall(function() return #print end))
