-- library.lua - metatables, string patterns, table.sort, utf8 and string.pack round trips.
local V = {}
V.__index = V
V.__add = function (a, b) return setmetatable({ x = a.x + b.x }, V) end
V.__eq = function (a, b) return a.x == b.x end
V.__tostring = function (v) return "V(" .. v.x .. ")" end
function V.new (x) return setmetatable({ x = x }, V) end
function V:get () return self.x end
local v = V.new(1) + V.new(2)
assert(v:get() == 3 and v == V.new(3) and tostring(v) == "V(3)")

assert(string.match("key = value", "(%w+)%s*=%s*(%w+)") == "key")
assert(select(2, string.gsub("hello world", "o", "0")) == 2)
assert(string.gsub("abc", "%w", "%0%0") == "aabbcc")
local words = {}
for w in string.gmatch("one two  three", "%a+") do words[#words + 1] = w end
assert(#words == 3 and words[3] == "three")
assert(string.find("a.b", ".", 1, true) == 2 and string.find("[x]", "%[(.)%]") == 1)

local t = { 5, 3, 8, 1, 9, 2 }
table.sort(t)
assert(table.concat(t, " ") == "1 2 3 5 8 9")
table.sort(t, function (a, b) return a > b end)
assert(t[1] == 9 and t[6] == 1)

assert(utf8.char(72, 228, 8364) == "H\xC3\xA4\xE2\x82\xAC" and utf8.len("H\xC3\xA4\xE2\x82\xAC") == 3)
local packed = string.pack("<i4 d s1", -2, 0.5, "hi")
local a, b, c = string.unpack("<i4 d s1", packed)
assert(a == -2 and b == 0.5 and c == "hi" and #packed == 4 + 8 + 3)
return true
