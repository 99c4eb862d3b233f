-- Basic string functions and method syntax through the string metatable.
local s = "Hello"
print(("x"):len(), s:len(), string.len(""), #s)
print(s:upper(), s:lower(), string.upper("abc123"), string.lower("ABC-def"))
print(getmetatable("").__index == string)
-- sub with positive, negative and out of range indices
print(s:sub(2), s:sub(2, 3), s:sub(-3), s:sub(-3, -2), s:sub(0), s:sub(10), s:sub(3, 2))
print(s:sub(-100, 2), s:sub(2, 100), string.sub(s, 1, -1), ("abc"):sub(-1, -1))
print(s:sub(1, 0) == "", s:sub(math.mininteger, math.maxinteger))
-- byte and char
print(s:byte(), s:byte(2), s:byte(-1), s:byte(1, 3))
print(s:byte(10), select("#", s:byte(10)), select("#", s:byte(1, -1)))
print(string.char(72, 105), string.char(), #string.char(0, 0))
print(string.char(s:byte(1, -1)))
print(pcall(string.char, 256))
print(pcall(string.char, -1))
-- rep
print(string.rep("ab", 3), string.rep("x", 0), string.rep("x", -1), string.rep("ab", 3, ","))
print(("-"):rep(10), string.rep("", 100) == "")
-- format basics
print(string.format("%d %s %5.2f", 42, "str", 3.14159))
print(string.format("[%5d] [%-5d] [%05d]", 42, 42, 42))
print(string.format("%s %s %s", 1, 1.5, true), string.format("%s", nil))
print(string.format("%x %X %o", 255, 255, 8), string.format("%%"))
print(string.format("%q", "a\nb\"c\0"))
print(string.format("%5s|%-5s|", "ab", "ab"), string.format("%.3s", "abcdef"))
print(string.format("%d", 3.0), pcall(string.format, "%d", 3.5))
print(string.format("%g %g %g", 1e20, 0.1, 100))
print(string.format("%c%c%c", 76, 117, 97))
-- find with plain = true
print(string.find("hello world", "o w", 1, true))
print(string.find("hello", "l", 1, true), string.find("hello", "l", 4, true))
print(string.find("a.b.c", ".", 1, true), string.find("abc", "x", 1, true))
print(string.find("abc", "", 1, true), string.find("abc", "", 10, true))
print(("a+b"):find("+", 1, true), ("hello"):find("lo", -2, true))
-- methods on number literals need parentheses; on string literals too
print(("%d"):format(7), ("abc"):upper():lower())
-- calling a method on a number value is an error (numbers have no metatable)
print(pcall(function() local n = 5; return n:len() end))
