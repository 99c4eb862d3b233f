-- Runaway recursion raises a catchable "stack overflow" error.
local function runaway(n) return 1 + runaway(n + 1) end
local ok, msg = pcall(runaway, 1)
print(ok, type(msg), string.find(msg, "stack overflow", 1, true) ~= nil)
-- mutual recursion
local a, b
function a() return 1 + b() end
function b() return 1 + a() end
ok, msg = pcall(a)
print(ok, string.find(msg, "stack overflow", 1, true) ~= nil)
-- recursion through __index
local t = setmetatable({}, {})
getmetatable(t).__index = function(self, k) return self[k] end
ok, msg = pcall(function() return t.x end)
print(ok, string.find(msg, "stack overflow", 1, true) ~= nil)
-- the program continues normally afterwards
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(1000))
-- repeated overflows are fine
for i = 1, 3 do
  ok, msg = pcall(runaway, 1)
  io.write(tostring(ok), " ")
end
print()
-- recursion through pcall itself
local function viaPcall(n)
  local ok2, err = pcall(viaPcall, n + 1)
  if not ok2 then error(err, 0) end
  return err
end
ok, msg = pcall(viaPcall, 1)
print(ok, type(msg))
-- tail recursion never overflows
local function tail(n) if n == 0 then return "tail ok" end return tail(n - 1) end
print(tail(300000))
