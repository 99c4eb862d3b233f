-- Yields inside __close metamethods: when leaving a block, when returning (fixed and variable
-- results), and while a pcall closes variables after an error.

local function func2close(f) return setmetatable({}, {__close = f}) end

-- block exit and return inside pcall, then the body's own return
local trace = {}
local co = coroutine.wrap(function()
  trace[#trace + 1] = "nowX"
  local x <close> = func2close(function(_, msg)
    trace[#trace + 1] = "x1 " .. tostring(msg)
    coroutine.yield("x")
    trace[#trace + 1] = "x2"
  end)
  return pcall(function()
    do
      local z <close> = func2close(function(_, msg)
        trace[#trace + 1] = "z1 " .. tostring(msg)
        coroutine.yield("z")
        trace[#trace + 1] = "z2"
      end)
    end
    trace[#trace + 1] = "nowY"
    local y <close> = func2close(function(_, msg)
      trace[#trace + 1] = "y1 " .. tostring(msg)
      coroutine.yield("y")
      trace[#trace + 1] = "y2"
    end)
    return 10, 20, 30
  end)
end)
print(co()); print(co()); print(co()); print(co())
print(table.concat(trace, ", "))

-- the yielding __close is coroutine.yield itself; results survive the yield
local function f3() return 10, 20, 30 end
co = coroutine.wrap(function()
  local x <close> = func2close(coroutine.yield)
  return f3()
end)
print(select("#", co()))
print(co())
co = coroutine.wrap(function()
  local x <close> = func2close(coroutine.yield)
  local extra <close> = func2close(coroutine.yield)
  return table.unpack({}, 1, 20)
end)
print(select("#", co())); print(select("#", co())); print(select("#", co()))

-- generic for: the closing value is closed on break, and its __close may yield
co = coroutine.wrap(function()
  for i in function(_, i) if i < 5 then return i + 1 end end, nil, 0,
           func2close(function() coroutine.yield("closing for") end) do
    if i == 3 then break end
  end
  return "after for"
end)
print(co()); print(co())

-- yields while a pcall closes variables after an error (errors in __close replace it)
co = coroutine.wrap(function()
  local function foo(err)
    local z <close> = func2close(function(_, msg)
      print("z gets", msg)
      coroutine.yield("z")
    end)
    local y <close> = func2close(function(_, msg)
      print("y gets", msg)
      coroutine.yield("y")
      if err then error(err + 20, 0) end
    end)
    local x <close> = func2close(function(_, msg)
      print("x gets", msg)
      coroutine.yield("x")
    end)
    if err == 10 then error(err, 0) else return 10, 20 end
  end
  coroutine.yield(pcall(foo, nil))
  coroutine.yield(pcall(foo, 1))
  return pcall(foo, 10)
end)
for _ = 1, 12 do print(co()) end

-- xpcall: the handler sees the error; a yield in __close during its unwinding
co = coroutine.wrap(function()
  return xpcall(function()
    local x <close> = func2close(function(_, msg) coroutine.yield("in close: " .. msg) end)
    error("boom", 0)
  end, function(m) return "handled " .. m end)
end)
print(co()); print(co())

-- outside a coroutine (or across a C boundary) a yield in __close is an error
print(pcall(function()
  local x <close> = func2close(coroutine.yield)
end))
co = coroutine.wrap(function()
  table.sort({3, 2, 1}, function(a, b)
    local x <close> = func2close(coroutine.yield)
    return a < b
  end)
end)
print(pcall(co))
