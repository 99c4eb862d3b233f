-- Concatenation of strings and numbers.
print(1 .. 2, type(1 .. 2))
print(1.5 .. "", 1.0 .. "", -0.0 .. "", 1e100 .. "", 2^63 .. "")
print("a" .. "b" .. "c", "" .. "", "x" .. 1 .. "y" .. 2.5)
print(math.maxinteger .. "", math.mininteger .. "")
print(10 // 3 .. "|" .. 10 / 2)
print((1 / 0) .. "", (-1 / 0) .. "")
-- right associative; numbers converted individually
print(1 .. 2 .. 3, (1 .. 2) .. 3, 1 .. (2 .. 3))
-- long concatenation chains
local parts = {}
for i = 1, 20 do parts[i] = i end
local s = ""
for i = 1, 20 do s = s .. parts[i] .. "," end
print(s, #s)
-- precedence: .. is lower than arithmetic
print(1 + 2 .. 3 * 4, "n=" .. 2 ^ 2, "v" .. -1)
-- concatenating with embedded zeros
local z = "a\0b" .. "\0c"
print(#z, z:byte(1, -1))
-- errors
local function e(f) print(pcall(f)) end
e(function() local x; return "a" .. x end)
e(function() local x = {}; return x .. "a" end)
e(function() return "a" .. nil end)
e(function() return "a" .. true end)
e(function() local t = {}; return "a" .. t.field end)
e(function() return undefinedglobal .. "a" end)
e(function() local t = {}; return 1 .. t end)
e(function() return "a" .. "b" .. {} .. "c" end)
e(function() return print .. "" end)
local up
e(function() return "x" .. up end)
