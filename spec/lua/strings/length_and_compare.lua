-- # length, comparisons, embedded zeros.
print(#"", #"a", #"hello", #"\0", #"a\0b\0", #"\u{10FFFF}")
local s = "abc"
print(#s, s:len(), string.len(s), ("xyz"):len())
print(#(s .. s), #string.rep("ab", 1000))
-- comparisons are byte-wise
print("a" < "b", "a" <= "a", "b" > "a", "abc" < "abd", "ab" < "abc", "" < "\0")
print("Z" < "a", "10" < "9", "a\0b" < "a\0c", "a\0" > "a", "\255" > "\1")
print("a" == "a", "a" ~= "b", "a\0b" == "a\0b", "a\0b" == "a\0c")
print("abc" >= "abc", "abd" >= "abc", "abc" >= "abd")
-- sort strings with embedded zeros
local t = { "b", "a\0z", "a", "a\0a", "" }
table.sort(t)
for i, v in ipairs(t) do
  io.write(#v, ":")
  for j = 1, #v do io.write(v:byte(j), ".") end
  io.write(" ")
end
print()
-- strings are values: equal strings built differently are equal
local a = "hel" .. "lo"
local b = string.rep("l", 2)
print(a == "hello", "he" .. b .. "o" == a)
-- comparing different types
print("1" == 1, pcall(function() return "a" < 1 end))
print(pcall(function() return {} < "a" end))
print(pcall(function() return "a" <= nil end))
print(pcall(function() return #nil end))
print(pcall(function() local n = 5; return #n end))
print(pcall(function() local t = {}; return #t.name end))
