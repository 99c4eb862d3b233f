-- __index as table and as function, including chains.
local base = { a = "base-a", shared = "from base" }
local mid = setmetatable({ b = "mid-b" }, { __index = base })
local top = setmetatable({ c = "top-c" }, { __index = mid })
print(top.a, top.b, top.c, top.shared, top.missing)
-- __index function receives table and key
local seen = {}
local fn = setmetatable({}, { __index = function(t, k)
  seen[#seen + 1] = tostring(k)
  return k == "x" and 42 or nil
end })
print(fn.x, fn.y, fn[1], #seen, table.concat(seen, ","))
-- existing keys never consult __index
local present = setmetatable({ k = false }, { __index = function() return "meta" end })
print(present.k, present.other)
-- __index function to a chain ending in a function
local chain = setmetatable({}, { __index = setmetatable({}, { __index = function(_, k) return "deep " .. k end }) })
print(chain.anything)
-- __index on strings uses string table
print(("abc").len == string.len)
-- default values pattern
local defaults = setmetatable({}, { __index = function() return 0 end })
defaults.hits = defaults.hits + 1
defaults.hits = defaults.hits + 1
print(defaults.hits, defaults.misses)
-- rawget bypasses
print(rawget(top, "a"), rawget(top, "c"))
-- __index with a non-table, non-function value: indexing that value
local weird = setmetatable({}, { __index = "a string" })
print(weird.len == string.len)
local bad = setmetatable({}, { __index = 5 })
print(pcall(function() return bad.x end))
-- __index is looked up raw in the metatable
local mtmt = setmetatable({}, { __index = function() return function() return "nope" end end })
local obj = setmetatable({}, mtmt)
print(obj.x)
-- changing the metatable's __index later takes effect
local mt = {}
local late = setmetatable({}, mt)
print(late.v)
mt.__index = { v = "now set" }
print(late.v)
-- long chain
local t = { final = "end of chain" }
for i = 1, 50 do t = setmetatable({}, { __index = t }) end
print(t.final)
