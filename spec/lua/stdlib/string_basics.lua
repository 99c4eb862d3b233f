-- string.len/sub/byte/char/rep/reverse/lower/upper, the string metatable and its arithmetic coercions.
local function show(...) print(select("#", ...), ...) end
local function perr(f, ...) local ok, e = pcall(f, ...) print(ok, e) end

-- len, sub with every kind of index
local s = "hello world"
print(#s, s:len(), string.len(""), ("\0\0\0"):len())
print(s:sub(1, 5), s:sub(7), s:sub(-5), s:sub(-5, -3), s:sub(0), s:sub(0, 0), s:sub(12), s:sub(5, 4))
print(s:sub(math.mininteger), s:sub(math.mininteger, math.maxinteger), s:sub(3, math.maxinteger))
print(s:sub(-100, -50) == "", s:sub(2, -100) == "", ("a\0b"):sub(2, 2) == "\0")
print(("x"):sub(1.0), pcall(string.sub, "x", 1.5))
perr(string.sub)
perr(string.sub, "x")
perr(string.sub, {}, 1)
print(string.sub(12345, 2, 3), string.sub(1.5, 1, 2))

-- byte
show(s:byte())
show(s:byte(-1))
show(s:byte(1, 3))
show(s:byte(3, 1))
show(s:byte(20))
show(s:byte(-3, -1))
show(s:byte(0, 2))
show(("\255\128\0"):byte(1, -1))
show(string.byte("abc", 2, 10))

-- char
print(string.char(104, 105), string.char() == "", #string.char(0, 1, 2))
print(string.char(("lua"):byte(1, -1)))
perr(string.char, 256)
perr(string.char, -1)
perr(string.char, 65, "x")
perr(string.char, 65, 66.5)
print(string.char("65", 66.0))

-- rep
print(string.rep("ab", 3), string.rep("ab", 3, "-"), string.rep("x", 1, "SEP"), string.rep("x", 0) == "")
print(string.rep("x", -5) == "", string.rep("", 1000000) == "", string.rep("", 5, ",") )
print(#string.rep("abc", 1000), #string.rep("a", 100, "bb"), string.rep("z", 45))
print(#string.rep("0123456789", 100000))
perr(string.rep, "x", 1 << 40)
perr(string.rep, "xx", math.maxinteger)
perr(string.rep, "x", 1 << 31, "y")
perr(string.rep, "", math.maxinteger, "x")
perr(string.rep, "x")
perr(string.rep, "x", 2.5)

-- reverse, lower, upper
print(("abc"):reverse(), (""):reverse() == "", ("a"):reverse(), ("ab\0cd"):reverse() == "dc\0ba")
print(#string.rep("ab", 50):reverse(), string.rep("ab", 30):reverse())
print(("Hello World 123 \200\255"):upper(), ("Hello World 123"):lower())
print(string.upper(string.rep("abc", 20)), string.lower("ÀÉ ABC"))
print(string.upper(42), string.lower(1e100))

-- metatable
local mt = getmetatable("")
print(type(mt), mt.__index == string, rawequal(getmetatable("a"), getmetatable("b")))
local keys = {}
for k in pairs(mt) do keys[#keys + 1] = k end
table.sort(keys)
print(table.concat(keys, " "))
print(("%d"):format(5), ("x"):rep(3), s:upper():lower())

-- arithmetic on strings
print("10" + 1, "10" + "5", "3.5" * 2, "10" / "4", "7" // "2", "7" % "3", "2" ^ "10", -"3", -"3.5")
print("0x10" + 0, " 5 " * 2, "1e2" + 0, 10 - "2", "7.0" // 2, "-7" % "3", "7" % "-3")
print(math.type("10" + 1), math.type("10" + 1.0), math.type("10." + 1), math.type("1" // "1"))
print("9223372036854775807" + 1, "9223372036854775808" + 0)
perr(function() return "abc" + 1 end)
perr(function() return 1 + "abc" end)
perr(function() return "abc" * "2" end)
perr(function() return -"abc" end)
perr(function() return "10" + {} end)
perr(function() return {} + "10" end)
perr(function() return "1" // "0" end)
perr(function() return "1" % "0" end)
print("1" // "0.0", "1" % "0.0" ~= "1" % "0.0", "-1" // 0.0)
-- the second operand's metamethod is tried when the string is not numeric
local V = setmetatable({}, {__add = function(a, b) return "V.add" end, __unm = function() return "V.unm" end,
  __concat = function() return "V.cc" end})
print("abc" + V, V + "abc", "1" + V)
perr(function() return "abc" & 1 end)
perr(function() return "3" & 1 end)
perr(function() return "abc" < 1 end)
print("10" == 10, "abc" .. 1, 1 .. "", 1.5 .. "|")
-- every byte through upper/lower/reverse (word-at-a-time paths and their tails)
local all = {}
for i = 0, 255 do all[#all + 1] = string.char(i) end
all = table.concat(all)
for _, k in ipairs{0, 1, 7, 8, 9, 63, 64, 65} do
  local sub = all:sub(k + 1) .. all:sub(1, k)
  local u, l, r = sub:upper(), sub:lower(), sub:reverse()
  local ok = #u == #sub and #l == #sub
  for i = 1, #sub do
    local c = sub:byte(i)
    local eu = (c >= 97 and c <= 122) and c - 32 or c
    local el = (c >= 65 and c <= 90) and c + 32 or c
    if u:byte(i) ~= eu or l:byte(i) ~= el or r:byte(#sub - i + 1) ~= c then ok = false end
  end
  print(k, ok, u:sub(60 - k, 130 - k):gsub("[^%w]", "."), l:sub(60, 130):gsub("[^%w]", "."))
end
print(("Hello, World! 123 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ @[`{"):upper())
print(("Hello, World! 123 abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ @[`{"):lower())
print(("0123456789abcdefghij"):reverse(), ("0123456789abcdefg"):reverse())
