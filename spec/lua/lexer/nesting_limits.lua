-- Deeply nested input exceeds the parser's C-level limit.
-- (load is wrapped in pcall so the message has no traceback attached.)
local function try(src)
  local ok, f, msg = pcall(load, src)
  print(ok, type(f), msg)
end
try("return " .. string.rep("(", 300) .. "1" .. string.rep(")", 300))
try("return " .. string.rep("{", 300) .. string.rep("}", 300))
try(string.rep("do ", 300) .. string.rep("end ", 300))
try("x = " .. string.rep("- ", 300) .. "1")
try("x = " .. string.rep("not ", 300) .. "1")
try("return " .. string.rep("f(", 300) .. string.rep(")", 300))
try("return " .. string.rep("a .. ", 300) .. "b")
try(string.rep("if x then ", 300) .. string.rep("end ", 300))
try(string.rep("function f() ", 300) .. string.rep("end ", 300))
-- moderate nesting is fine
try("return " .. string.rep("(", 100) .. "1" .. string.rep(")", 100))
print(load("return " .. string.rep("(", 100) .. "7" .. string.rep(")", 100))())
print(load("return " .. string.rep("{", 50) .. string.rep("}", 50))() ~= nil)
print(load("return " .. string.rep("- ", 100) .. "1")())
print(load("return " .. string.rep("not ", 101) .. "nil")())
-- too many local variables
local s = "local a0"
for i = 1, 250 do s = s .. ", a" .. i end
try(s)
-- too many upvalues (limit 255): locals spread over two enclosing functions
local parts = {}
for i = 1, 150 do parts[#parts + 1] = "local a" .. i .. " = " .. i end
parts[#parts + 1] = "return function()"
for i = 1, 150 do parts[#parts + 1] = "local b" .. i .. " = " .. i end
parts[#parts + 1] = "return function() return 0"
for i = 1, 150 do parts[#parts + 1] = " + a" .. i .. " + b" .. i end
parts[#parts + 1] = " end end"
try(table.concat(parts, "\n"))
-- 120 + 120 upvalues is within the limit
parts = {}
for i = 1, 120 do parts[#parts + 1] = "local a" .. i .. " = " .. i end
parts[#parts + 1] = "return function()"
for i = 1, 120 do parts[#parts + 1] = "local b" .. i .. " = " .. i end
parts[#parts + 1] = "return function() return 0"
for i = 1, 120 do parts[#parts + 1] = " + a" .. i .. " + b" .. i end
parts[#parts + 1] = " end end"
print(load(table.concat(parts, "\n"))()()())
