-- assert with and without messages.
print(assert(1, "unused"))
print(assert(true, "msg", "extra", 3))
print(assert("value"))
print(select("#", assert(1, 2, 3)))
print(pcall(assert, false))
print(pcall(assert, nil))
print(pcall(assert, false, "custom message"))
print(pcall(assert, nil, 42))
local t = { reason = "table error" }
local ok, e = pcall(assert, false, t)
print(ok, e == t, e.reason)
print(pcall(assert))
print(pcall(assert, false, nil))
-- assert does not add position info
print(pcall(function() assert(false, "no position") end))
print(pcall(function() assert(false) end))
-- assert returns all its arguments on success
local a, b, c = assert(0, "zero is true", false)
print(a, b, c)
-- common idiom: assert(load(...))
print(pcall(function() return assert(load("return = 1")) end))
print(assert(load("return 'loaded'"))())
