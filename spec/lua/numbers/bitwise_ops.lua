-- Bitwise operators on integers, floats with integral values and strings.
print(0xF0 & 0x3C, 0xF0 | 0x3C, 0xF0 ~ 0x3C, ~0, ~0xF0)
print(1 << 0, 1 << 1, 1 << 62, 1 << 63, 1 << 64, 1 << 100)
print(-1 >> 1, -1 >> 63, -1 >> 64, 256 >> 4, 256 >> -4, 1 << -1)
print(3 << -1, math.mininteger >> 63, 5 >> 0)
print(-1 & 0xFF, -1 | 0, -1 ~ -1)
-- floats with exact integer values are converted
print(3.0 & 1, 2.0 | 1.0, 1.0 << 2, ~5.0, math.type(3.0 & 1))
print(2^53 | 0, math.type(2^53 | 0))
local function e(f) local ok, msg = pcall(f); print(ok, msg) end
-- unlike arithmetic, bitwise operators do NOT coerce strings in Lua 5.4
e(function() return "3" & 1 end)
e(function() return 1 | "0x10" end)
e(function() local s = "8"; return s >> 1 end)
e(function() return ~"0" end)
-- errors
e(function() return 1.5 & 1 end)
e(function() return 1 | 2.5 end)
e(function() return ~1.5 end)
e(function() return 2^63 | 0 end)
e(function() return 1 << 1.5 end)
e(function() return math.huge & 1 end)
e(function() return (0/0) | 1 end)
e(function() return "1.5" | 0 end)
e(function() return "abc" | 0 end)
e(function() return {} & 1 end)
e(function() return 1 & nil end)
e(function() local x = 1.5; return x & 1 end)
e(function() local t = {f = 2.5}; return t.f | 0 end)
e(function() return true ~ 1 end)
-- precedence: comparison < bitor < bitxor < bitand < shift < concat
print(1 | 2 ~ 3 & 4 << 1, ((1 | (2 ~ (3 & (4 << 1))))))
print(1 << 2 + 1, 1 + 1 << 2, 5 & 3 == 1, (5 & 3) == 1)
