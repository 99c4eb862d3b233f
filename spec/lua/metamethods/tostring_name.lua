-- __tostring and __name.
local T = setmetatable({}, { __tostring = function(t) return "I am T" end })
print(T, tostring(T))
print(("%s"):format(T))
-- __tostring must return a string (numbers are accepted)
local bad = setmetatable({}, { __tostring = function() return 42 end })
print(pcall(tostring, bad))
local bad2 = setmetatable({}, { __tostring = function() return nil end })
print(pcall(tostring, bad2))
-- __tostring that errors
local bad3 = setmetatable({}, { __tostring = function() error("tostring failed", 0) end })
print(pcall(tostring, bad3))
print(pcall(print, bad3))
-- __name changes the prefix of the default tostring
local named = setmetatable({}, { __name = "MyType" })
local s = tostring(named)
print(s:sub(1, 8), s:find("MyType: ", 1, true))
-- __name that is not a string is ignored
local notname = setmetatable({}, { __name = 123 })
print(tostring(notname):sub(1, 7))
-- __name appears in argument errors
print(pcall(string.len, named))
print(pcall(math.floor, named))
print(pcall(setmetatable, named))
-- __name also appears in operator error messages
print(pcall(function() return named + 1 end))
print(pcall(function() return named < 1 end))
-- __tostring takes priority over __name
local both = setmetatable({}, { __name = "N", __tostring = function() return "from __tostring" end })
print(tostring(both))
-- tostring on other values
print(tostring(nil), tostring(true), tostring(12), tostring(1.25), tostring("s"))
print(tostring(print):sub(1, 9), tostring({}):sub(1, 6))
-- concat does not use __tostring
print(pcall(function() return "x" .. T end))
