-- a coroutine that died by an error keeps its frames: traceback, getinfo and getlocal see them
local function f(i)
  local depth = i
  if i == 0 then error("boom " .. depth)
  else coroutine.yield(i); f(i - 1)
  end
end

local co = coroutine.create(function (x) f(x) end)
print(coroutine.resume(co, 2))
while coroutine.status(co) == "suspended" do
  print(debug.traceback(co))
  print(coroutine.resume(co))
end
print(coroutine.status(co))
print(debug.traceback(co))
print(debug.traceback(co, "msg", 1))
local info = debug.getinfo(co, 1, "Sl")
print(info.short_src, info.currentline)
print(debug.getlocal(co, 1, 2))
print(debug.getinfo(co, 0, "n").name)
print(coroutine.resume(co))
print(coroutine.close(co))
print(debug.traceback(co))

-- an error in a native body, and an error caught inside before another one escapes
co = coroutine.create(error)
print(coroutine.resume(co, "direct"))
print(debug.traceback(co))
co = coroutine.create(function ()
  print(pcall(error, "caught"))
  local t = setmetatable({}, {__index = function (t, k) return nil + k end})
  return t.x
end)
print(coroutine.resume(co))
print(debug.traceback(co))
-- an error raised through a native callback (table.sort's comparator)
co = coroutine.create(function ()
  table.sort({3, 2, 1}, function (a, b) error("in sort") end)
end)
print(coroutine.resume(co))
print(debug.traceback(co))
