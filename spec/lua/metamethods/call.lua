-- __call with extra arguments.
local callable = setmetatable({ name = "obj" }, {
  __call = function(self, a, b, ...)
    return self.name, a, b, select("#", ...)
  end,
})
print(callable(1, 2, 3, 4))
print(callable())
print(pcall(callable, "x"))
-- __call used as method
local obj = { f = callable }
local r1, r2, r3, r4 = obj:f("m")
print(r1, r2 == obj, r3, r4)
-- __call chained: a callable whose __call is itself a callable table
local inner, outer
inner = setmetatable({}, { __call = function(self, ...)
  local first, second = ...
  return "inner", self == inner, first == outer, second, select("#", ...)
end })
outer = setmetatable({}, { __call = inner })
print(outer("arg"))
-- __call results adjust like normal calls
local three = setmetatable({}, { __call = function() return 1, 2, 3 end })
print((three()), select("#", three()))
print(({ three() })[3])
-- calling non-callable values
print(pcall(function() local t = {}; t() end))
print(pcall(function() local t = setmetatable({}, {}); t() end))
-- callable in various contexts
for _, v in ipairs({ callable }) do print(v(9)) end
local ok = pcall(callable)
print(ok)
print(table.concat({ (setmetatable({}, { __call = function() return "in constructor" end }))() }))
-- __call on a table used as a __index function
local idx = setmetatable({}, { __index = setmetatable({}, { __call = function() return "not used" end }) })
print(idx.missing)
