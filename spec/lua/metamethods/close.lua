-- __close with local x <close>.
local function closer(name)
  return setmetatable({}, { __close = function(self, err)
    print("close", name, err)
  end })
end
do
  local a <close> = closer("a")
  local b <close> = closer("b")
  print("in block")
end
print("after block")
-- closed in reverse order when a function returns
local function f()
  local x <close> = closer("x")
  local y <close> = closer("y")
  return "returned"
end
print(f())
-- closed when leaving a loop via break
for i = 1, 3 do
  local c <close> = closer("loop" .. i)
  if i == 2 then break end
end
-- closed on error; the error object is passed
print(pcall(function()
  local e <close> = closer("on error")
  error("boom", 0)
end))
-- error object that is a table
print(select("#", pcall(function()
  local e <close> = setmetatable({}, { __close = function(_, err) print("err is table:", type(err), err.code) end })
  error({ code = 7 })
end)))
-- nil and false are allowed and ignored
do
  local n <close> = nil
  local f2 <close> = false
  print("nil/false close ok")
end
-- values without __close are an error at declaration
print(pcall(function() local bad <close> = {} end))
print(pcall(function() local bad <close> = 42 end))
print(pcall(function() local bad <close> = "str" end))
-- an error inside __close replaces the original error
print(pcall(function()
  local e <close> = setmetatable({}, { __close = function() error("close failed", 0) end })
  error("original", 0)
end))
-- error inside __close on normal exit
print(pcall(function()
  local e <close> = setmetatable({}, { __close = function() error("close error", 0) end })
  return "never seen"
end))
-- goto out of a block closes the variable
do
  local i = 0
  ::again::
  do
    local g <close> = closer("goto" .. i)
    i = i + 1
    if i < 2 then goto again end
  end
end
-- close variables are constant
print(load("local x <close> = nil; x = 1"))
-- 'return f()' with a pending to-be-closed variable: the callee runs before the close
local function g()
  local z <close> = closer("z")
  return (function() print("callee runs"); return "g result" end)()
end
print(g())
-- generic for: the 4th value is a to-be-closed value
local function iter()
  local state = closer("for-iterator")
  local i = 0
  return function() i = i + 1; if i <= 2 then return i end end, nil, nil, state
end
for v in iter() do print("iter", v) end
for v in iter() do if v == 1 then break end end
print("done")
