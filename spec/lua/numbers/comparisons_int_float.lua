-- Exact comparisons between integers and floats, including near 2^53 and 2^63.
print(1 == 1.0, 1 < 1.5, 2 > 1.5, -1 < -0.5, 0 == -0.0)
local big = 2^53
print(big == 2^53 + 1, math.tointeger(big) + 1 == big + 1)
print(9007199254740993 == 2^53, 9007199254740993 > 2^53, 9007199254740992 == 2^53)
print(9007199254740993 < 9007199254740994.0, 9007199254740993 <= 2^53)
print(math.maxinteger == 2^63, math.maxinteger < 2^63, math.maxinteger + 0.0 == 2^63)
print(math.maxinteger <= 2^63, math.maxinteger > 2^63 - 1024)
print(math.mininteger == -2^63, math.mininteger <= -2^63, math.mininteger < -2^63)
print(math.mininteger + 0.0 == -2^63)
print(2^63 > math.maxinteger, -2^63 >= math.mininteger, -2^63 - 1e5 < math.mininteger)
print(math.maxinteger < math.huge, math.mininteger > -math.huge)
local nan = 0 / 0
print(nan == nan, nan ~= nan, nan < 1, nan > 1, 1 < nan, nan <= nan, nan >= 0)
print(1 < math.huge, math.maxinteger < math.huge, -math.huge < math.mininteger)
-- equality of different types is false, never an error
print(1 == "1", "1" == 1, 0 == false, nil == false)
-- order comparisons between number and string are errors
print(pcall(function() return 1 < "2" end))
print(pcall(function() return "10" <= 2 end))
-- strings compare lexicographically
print("10" < "9", "a" < "b", "abc" < "abd", "" < "a", "Z" < "a")
-- mixed integer / float keys compare equal
local t = {}
t[2^53] = "float key"
print(t[9007199254740992], math.type(next(t)))
