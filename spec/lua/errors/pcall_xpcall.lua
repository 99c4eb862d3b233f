-- pcall and xpcall return values and handlers.
print(pcall(function() return 1, 2, 3 end))
print(pcall(function() end))
print(pcall(function(...) return select("#", ...), ... end, "a", nil))
print(pcall(print, "printed inside pcall"))
print(select("#", pcall(error)))
-- pcall with a non-function
print(pcall(42))
print(pcall(nil))
print(pcall({}))
print(pcall(pcall))
print(pcall(pcall, error, "inner"))
-- xpcall: handler receives the error object and its result is returned
print(xpcall(function() error("oops") end, function(m) return "handled: " .. m end))
print(xpcall(function() error({ code = 5 }) end, function(m) return m.code end))
print(xpcall(function() return "no error", 2 end, function(m) return "unused" end))
print(xpcall(function(a, b) return a + b end, print, 3, 4))
-- only the first value returned by the handler is kept
print(xpcall(function() error("x", 0) end, function(m) return m, "extra" end))
-- handler receives non-string errors untouched
print(xpcall(function() error(nil) end, function(m) return type(m) end))
print(xpcall(function() error(12) end, function(m) return m * 2 end))
-- runtime error seen by handler has position info
print(xpcall(function() local t; return t.x end, function(m) return "H:" .. m end))
-- handler that errors
print(xpcall(function() error("first") end, function(m) error("in handler") end))
-- xpcall without handler
print(pcall(xpcall, function() end))
-- nested pcalls
print(pcall(function()
  local ok, err = pcall(error, "inner error", 0)
  return "outer sees: " .. tostring(ok) .. " " .. err
end))
print(pcall(function()
  local ok, err = pcall(error, "inner error", 0)
  error("rethrown: " .. err, 0)
end))
-- pcall returns false and the message; the stack is usable afterwards
local results = {}
for i = 1, 5 do
  local ok, m = pcall(function() if i % 2 == 0 then error("even " .. i, 0) end return i end)
  results[#results + 1] = tostring(ok) .. ":" .. tostring(m)
end
print(table.concat(results, " "))
-- the handler runs before the stack unwinds: it can still read upvalues set by the failing code
local stage = "start"
print(xpcall(function() stage = "failing"; error("t", 0) end, function(m) return m .. " during " .. stage end))
-- xpcall with extra arguments passes them to the function
print(xpcall(function(...) return select("#", ...), ... end, tostring, "a", "b"))
