-- Error objects passing through several levels of calls and pcalls.
local errobj = { tag = "E" }
local function l3() error(errobj) end
local function l2() l3() end
local function l1() l2() end
local ok, e = pcall(l1)
print(ok, e == errobj, e.tag)
-- rethrow through three pcalls keeps identity
local function rethrow(f)
  local ok2, err = pcall(f)
  if not ok2 then error(err, 0) end
end
ok, e = pcall(rethrow, function() rethrow(function() rethrow(l1) end) end)
print(ok, e == errobj)
-- string messages are not modified on rethrow with level 0
ok, e = pcall(rethrow, function() error("msg at origin") end)
print(ok, e)
-- rethrow with level 1 adds a second position prefix
ok, e = pcall(function()
  local ok3, err = pcall(error, "inner", 0)
  error(err)
end)
print(ok, e)
-- error in __index metamethod
local bad = setmetatable({}, { __index = function(t, k) error("no field " .. k) end })
print(pcall(function() return bad.foo end))
local bad2 = setmetatable({}, { __index = function(t, k) error("no field " .. k, 2) end })
print(pcall(function() return bad2.foo end))
-- error in __newindex, __add, __call, __tostring
print(pcall(function() local t = setmetatable({}, { __newindex = function() error("nope", 0) end }); t.x = 1 end))
print(pcall(function() return setmetatable({}, { __add = function() error("add failed", 0) end }) + 1 end))
print(pcall(function() return setmetatable({}, { __call = function() error("call failed", 0) end })() end))
print(pcall(tostring, setmetatable({}, { __tostring = function() error("ts failed", 0) end })))
-- errors inside iterators
print(pcall(function() for _ in function() error("iter failed", 0) end do end end))
-- concatenation of nil via tostring-less concat
print(pcall(function() local v; return "value: " .. v end))
print(pcall(function() return "value: " .. tostring(nil) end))
-- error inside a coroutine-free deep call chain with finally-like cleanup
local log = {}
local function withCleanup(f)
  local ok4, err = pcall(f)
  log[#log + 1] = "cleanup"
  if not ok4 then error(err, 0) end
end
print(pcall(withCleanup, function() error("deep", 0) end), table.concat(log, ","))
-- error values keep their type through pcall
for _, v in ipairs({ 1, 2.5, "s", true }) do
  local _, got = pcall(error, v)
  io.write(type(got), "=", tostring(got), " ")
end
print()
