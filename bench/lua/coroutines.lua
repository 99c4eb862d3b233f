-- coroutines.lua - resume/yield: generators with coroutine.wrap, a producer/filter/consumer pipeline.
local function gen (n)
  return coroutine.wrap(function () for i = 1, n do coroutine.yield(i) end end)
end
local s = 0
for v in gen(300000) do s = (s + v) % 1000003 end
local function producer (n)
  return coroutine.create(function () for i = 1, n do coroutine.yield(i * 3) end return nil end)
end
local function filter (src)
  return coroutine.create(function ()
    while true do
      local ok, v = coroutine.resume(src)
      if v == nil then return nil end
      if v % 2 == 0 then coroutine.yield(v // 2) end
    end
  end)
end
local f, total, count = filter(producer(300000)), 0, 0
while true do
  local ok, v = coroutine.resume(f)
  if v == nil then break end
  total = (total + v) % 1000003
  count = count + 1
end
local co = coroutine.create(function (a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
local _, r1 = coroutine.resume(co, 1, 2)
local _, r2 = coroutine.resume(co, 10)
local _, r3 = coroutine.resume(co, 3, 4)
print(s, count, total, r1, r2, r3, coroutine.status(co))
