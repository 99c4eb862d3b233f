-- Strings are converted to numbers in arithmetic.
print("10" + 1, math.type("10" + 1))
print("0x10" * 1, math.type("0x10" * 1))
print("1e1" + 0, math.type("1e1" + 0))
print(" 5 " + 0, "\t7\n" * 1)
print("3.0" + 0, math.type("3.0" + 0))
print("10" - "3", "10" * "3", "10" / "4", "2" ^ "3", -"2", -"2.5")
print("9223372036854775807" + 0, "9223372036854775808" + 0)
print("0xffffffffffffffff" + 0)
print(10 .. "", 10 + "0", "" .. 1.0)
-- results keep string arithmetic separate from concatenation
print("1" + "2", "1" .. "2")
-- errors
local function e(f) print(pcall(f)) end
e(function() return "abc" + 1 end)
e(function() return "" + 1 end)
e(function() return "1e" * 1 end)
e(function() return "10" + {} end)
e(function() local s = "x"; return s * 2 end)
e(function() return -"abc" end)
e(function() local t = {s = "a"}; return t.s - 1 end)
-- comparison does not coerce
print("10" == 10, pcall(function() return "10" < 20 end))
-- tostring / tonumber round trip
print(tostring(10), tostring(10.0), tonumber(tostring(1e100)))
