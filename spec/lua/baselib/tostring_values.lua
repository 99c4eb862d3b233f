-- tostring for all value kinds (addresses excluded).
print(tostring(nil), tostring(true), tostring(false))
print(tostring(0), tostring(-7), tostring(math.maxinteger), tostring(math.mininteger))
print(tostring(0.0), tostring(-0.0), tostring(1.5), tostring(100.0), tostring(1e15), tostring(1e16))
print(tostring(1/0), tostring(-1/0))
-- nan prints as lua5.4 prints it on this platform
print(tostring(0/0), tostring(-(0/0)))
print(tostring(2^24), tostring(2^53), tostring(2^63), tostring(-2^63))
print(tostring(1/3), tostring(-1/3), tostring(123456789.123))
print(tostring(3.14159265358979), tostring(0.1), tostring(1e-10), tostring(5e-324))
print(tostring("str"), tostring(""), #tostring("a\0b"))
-- prefixes of reference types
print(tostring({}):sub(1, 7), tostring(print):sub(1, 10), tostring(function() end):sub(1, 10))
-- identical objects give identical strings, distinct objects distinct ones
local t = {}
print(tostring(t) == tostring(t), tostring(t) ~= tostring({}))
-- __tostring and __name
print(tostring(setmetatable({}, { __tostring = function() return "TS" end })))
print(tostring(setmetatable({}, { __name = "Thing" })):sub(1, 7))
-- tostring requires an argument
print(pcall(tostring))
-- floats that look like integers keep .0; integers never have .0
print(10 // 1, 10.0 // 1, 2^1, 7 // 2.0, 3 | 0)
