-- An error that kills a coroutine reaches its __close handlers and the caller unchanged, even when
-- a __close runs protected calls of its own (which raise and catch other errors meanwhile).

local function func2close(f) return setmetatable({}, {__close = f}) end

-- wrap: the dead coroutine is closed with its error; __close tries to resume it again
local co
co = coroutine.wrap(function()
  local x <close> = func2close(function(_, err)
    print("closing with", err, pcall(co))
  end)
  error(111)
end)
print(pcall(co))
print(pcall(co))

-- coroutine.close on a coroutine that died by error
local c = coroutine.create(function()
  local x <close> = func2close(function(_, err)
    print("close got", type(err), err.code, pcall(error, "inner"))
  end)
  coroutine.yield(1)
  error({code = 7})
end)
print(coroutine.resume(c))
local ok, e = coroutine.resume(c)
print(ok, type(e), e.code)
local ok2, e2 = coroutine.close(c)
print(ok2, type(e2), e2.code, e2 == e)

-- a message handler left by a suspended xpcall is not used when closing the coroutine
c = coroutine.create(function()
  local clo <close> = func2close(function() error(134) end)
  xpcall(coroutine.yield, function() return "XXX" end)
end)
print(coroutine.resume(c))
print(coroutine.close(c))

-- an error in __close while closing a suspended coroutine: the others see it, it is the result
c = coroutine.create(function()
  local a <close> = func2close(function(_, err) print("a sees", err) end)
  local b <close> = func2close(function(_, err) print("b sees", err); error("from b", 0) end)
  coroutine.yield()
end)
coroutine.resume(c)
print(coroutine.close(c))
print(coroutine.status(c), coroutine.resume(c))
