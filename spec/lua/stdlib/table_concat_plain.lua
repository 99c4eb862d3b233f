-- table.concat of a plain table of strings builds its result in one pass (lib/table.ts); every
-- other case (numbers, metatables, bad values, ranges) takes the general path. Both must agree with lua5.4.
print(table.concat({}), table.concat({}, "x"), table.concat({"a"}, "x"))
print(table.concat({"a", "b", "c"}), table.concat({"a", "b", "c"}, ", "))
print(table.concat({"a", "b", "c"}, "-", 2), table.concat({"a", "b", "c"}, "-", 2, 3), table.concat({"a", "b", "c"}, "-", 3, 2))
print(table.concat({"a", "b", "c"}, "-", 1, 1), #table.concat({"a", "b", "c"}, "", 1, 0))
print(#table.concat({"a\0b", "\0", ""}, "\0"), table.concat({"a\0b", "\0", ""}, "\0") == "a\0b\0\0\0")
-- short and long results: 40 bytes is the longest interned string
local t = {}
for i = 1, 20 do t[i] = "ab" end
local s40 = table.concat(t)
local s41 = table.concat(t, "", 1, 20) .. "c"
print(#s40, #s41, s40 == ("ab"):rep(20), table.concat(t, "", 1, 20) == s40)
print(#table.concat(t, "|"), table.concat(t, "|", 19))
local big = {}
for i = 1, 1000 do big[i] = ("%03d"):format(i % 1000) end
local r = table.concat(big, ",")
print(#r, r:sub(1, 12), r:sub(-12))
-- numbers go through the general path (converted as tostring does)
print(table.concat({1, 2.5, "x", -0.0, 2^63, math.mininteger}, " "))
print(table.concat({"a", 1}, 1.5))
-- errors
print(pcall(table.concat, {"a", {}, "c"}))
print(pcall(table.concat, {"a", "b"}, ",", 1, 3))
print(pcall(table.concat, {"a", nil, "c"}, ",", 1, 3))
print(pcall(table.concat, {}, ",", 1, 1))
print(pcall(table.concat, {"a"}, {}))
print(pcall(table.concat, {"a"}, ",", "x"))
print(pcall(table.concat, nil))
print(pcall(table.concat, {"a", "b"}, ",", math.maxinteger - 1, math.maxinteger))
print(table.concat({}, ",", math.maxinteger, math.maxinteger - 1), pcall(table.concat, {}, ",", math.mininteger, math.mininteger - 1))
-- elements in the hash part, and a metatable (__index answers for the holes)
local h = {} h[3] = "c" h[1] = "a" h[2] = "b"
print(table.concat(h, "+"))
local m = setmetatable({"a", nil, "c"}, {__index = function (_, k) return "<" .. k .. ">" end})
print(table.concat(m, "", 1, 3))
local l = setmetatable({}, {__len = function () return 2 end, __index = function (_, k) return "k" .. k end})
print(table.concat(l, "."))
