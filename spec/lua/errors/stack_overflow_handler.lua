-- a stack overflow leaves room for the message handler, every time: a caught overflow gives the
-- error zone back; a second overflow while handling one is "error in error handling"
local C = 0
local function auxy() C = C + 1; auxy() end
local function count(m) local n = C; C = 0; return n > 1000, (string.gsub(m, "^.-:%d+: ", "")) end

print(pcall(auxy))
print(count("x:1: x"))
for i = 1, 3 do
  local ok, m = xpcall(auxy, function (m) return "handled: " .. m end)
  print(i, ok, count(m))
end
-- the handler sees the frames of the overflow (a traceback works)
local ok, tb = xpcall(auxy, debug.traceback)
print(ok, select(2, string.gsub(tb, "in upvalue 'auxy'", "")) > 10, tb:find("skipping", 1, true) ~= nil)
C = 0
-- overflowing again inside the handler
local function loop(x) return 1 + loop(x) end
print(xpcall(loop, function (m)
  print("handler:", (string.gsub(m, "^.-:%d+: ", "")))
  print(pcall(loop, 1))
  print(math.sin(0))
  return 15
end))
-- and everything is back to normal afterwards
print(select("#", pcall(loop, 1)), (string.gsub(select(2, pcall(loop, 1)), "^.-:%d+: ", "")))
local ok2, m2 = xpcall(loop, function (m) return "again: " .. m:gsub("^.-:%d+: ", "") end)
print(ok2, m2)
