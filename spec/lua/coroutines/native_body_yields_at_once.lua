-- A coroutine whose body is a native (pcall, xpcall) that yields at once: resuming it finishes the
-- native frame and the coroutine (this hung before: the body frame was not the loop's boundary).
local co = coroutine.create(pcall)
print(coroutine.resume(co, coroutine.yield, 1))
print(coroutine.resume(co, 2))
print(coroutine.status(co))
local co2 = coroutine.create(xpcall)
print(coroutine.resume(co2, coroutine.yield, print, 'a', 'b'))
print(coroutine.resume(co2, 'c'))
print(coroutine.status(co2))
local co3 = coroutine.wrap(pcall)
print(co3(coroutine.yield, 'x'))
print(co3('y', 'z'))
