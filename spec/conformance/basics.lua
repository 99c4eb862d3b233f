-- basics.lua - arithmetic, integer/float distinction, strings and tables, checked with assert.
assert(1 + 2 == 3 and 7 // 2 == 3 and 7 % -3 == -2 and -7 // 2 == -4)
assert(math.type(1) == "integer" and math.type(1.0) == "float" and 3 / 2 == 1.5)
assert(math.maxinteger + 1 == math.mininteger, "integers wrap around")
assert(1 == 1.0 and "1" ~= 1 and tostring(10 // 3.0) == "3.0")
assert(2^53 == 9007199254740992.0 and 1e15 == 10^15)
assert(("x"):rep(3, ",") == "x,x,x" and #"hello" == 5 and ("abc"):upper() == "ABC")
assert(string.format("%5.2f|%d|%s|%q", 3.14159, 42, "s", "a\nb") == ' 3.14|42|s|"a\\\nb"')
assert(tostring(1e100) == "1e+100" and tostring(-0.0) == "-0.0" and tostring(2^63) == "9.2233720368548e+18")
assert(tonumber("0x10") == 16 and tonumber("  12  ") == 12 and tonumber("1e2") == 100.0 and tonumber("z", 36) == 35)

local t = { 10, 20, 30, x = "y" }
assert(#t == 3 and t.x == "y")
t[#t + 1] = 40
table.insert(t, 1, 0)
assert(table.concat(t, ",") == "0,10,20,30,40")
assert(table.remove(t) == 40 and #t == 4)
t[1], t["1"] = "int", "str"
assert(t[1] == "int" and t["1"] == "str", "t[1] and t['1'] are different keys")
local n = 0
for k, v in pairs({ a = 1, b = 2, c = 3 }) do n = n + v end
assert(n == 6)
assert(select("#", nil, nil) == 2 and select(-1, 1, 2, 3) == 3)
assert(table.unpack({ 1, 2, 3 }, 2) == 2)

local s = 0
for i = 10, 1, -3 do s = s + i end
assert(s == 10 + 7 + 4 + 1)
for i = math.maxinteger - 1, math.maxinteger do s = i end
assert(s == math.maxinteger, "for loop stops at maxinteger without wrapping")

return true
