-- pingpong1m.lua - 1M resume/yield pairs between two coroutines (coroutine goal).
local co = coroutine.wrap(function (x)
  while true do x = coroutine.yield(x + 1) end
end)
local v = 0
for i = 1, 1000000 do v = co(v) end
print(v)
