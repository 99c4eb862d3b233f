-- Errors raised by __close while a pcall unwinds: each replaces the previous one, the next
-- __close receives it, the message handler of an outer xpcall is not applied to them, and an
-- xpcall's own handler is.

local function func2close(f) return setmetatable({}, {__close = f}) end

local function foo()
  local a1 <close> = func2close(function(_, msg) print("a1 gets", msg); error({tag = "t"}) end)
  local a3 <close> = func2close(function(_, msg) print("a3 gets", msg); error(123) end)
  error("body", 0)
end

print(xpcall(function()
  local ok, e = pcall(foo)
  print("inner pcall:", ok, type(e), e.tag)
  return "done"
end, function(m) return "outer handler: " .. tostring(m) end))

print(xpcall(foo, function(m) return "handled " .. type(m) end))

-- a non-closable value, and a metamethod removed before the close
print(pcall(function()
  local x <close> = {}
end))
print(pcall(function()
  local xyz <close> = setmetatable({}, {__close = print})
  getmetatable(xyz).__close = nil
end))

-- errors in a normal close stop it; the rest are closed with that error
print(pcall(function()
  local a <close> = func2close(function(_, e) print("a gets", e) end)
  local b <close> = func2close(function(_, e) print("b gets", e); error("from b", 0) end)
  local c <close> = func2close(function(_, e) print("c gets", e) end)
  return 1
end))
