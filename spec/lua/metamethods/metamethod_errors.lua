-- Errors raised while using metamethods.
local function e(f) local ok, msg = pcall(f); print(ok, msg) end
-- a metamethod that is not callable
e(function() return setmetatable({}, { __add = 5 }) + 1 end)
e(function() return setmetatable({}, { __index = function() error("idx", 0) end }).x end)
e(function() return #setmetatable({}, { __len = "notfunc" }) end)
e(function() return setmetatable({}, { __concat = true }) .. "x" end)
e(function() return setmetatable({}, { __unm = {} }) and -setmetatable({}, { __unm = {} }) end)
e(function() return setmetatable({}, { __lt = 1 }) < setmetatable({}, {}) end)
e(function() return setmetatable({}, { __eq = 1 }) == setmetatable({}, {}) end)
-- metamethods that error with levels
e(function() return setmetatable({}, { __add = function() error("add level1") end }) + 1 end)
e(function() return setmetatable({}, { __add = function() error("add level2", 2) end }) + 1 end)
-- errors inside __index chains name the field
e(function() local t = setmetatable({}, { __index = {} }); return t.a.b end)
e(function() local t = setmetatable({}, { __index = function() return 5 end }); return t.a.b end)
e(function() local t = setmetatable({}, { __index = function() return nil end }); t.a() end)
e(function() local t = setmetatable({}, { __index = function() return nil end }); t:m() end)
-- __newindex that errors
e(function() setmetatable({}, { __newindex = function(t, k) error("cannot set " .. k, 0) end }).key = 1 end)
-- __call that errors
e(function() setmetatable({}, { __call = function(self, x) error("called with " .. x, 0) end })("arg") end)
-- __close that errors while closing normally
e(function() local c <close> = setmetatable({}, { __close = function() error("closing", 0) end }) end)
-- __tostring returning a non-string in tostring/print
e(function() return tostring(setmetatable({}, { __tostring = function() return true end })) end)
-- __eq is not called for primitive comparisons
local called = false
local mt = { __eq = function() called = true; return true end }
print(setmetatable({}, mt) == 1, called)
-- __lt with mixed types uses the metamethod of either operand
local lt = setmetatable({}, { __lt = function(a, b) return type(a) .. "<" .. type(b) end })
print(lt < 1, 1 < lt, "s" < lt)
