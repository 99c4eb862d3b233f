-- debug.getlocal / debug.setlocal: named locals by scope, varargs, temporaries, parameters of a
-- function value, levels and errors.

local function show(...)
  local out = {}
  for i = 1, select("#", ...) do out[#out + 1] = tostring((select(i, ...))) end
  return table.concat(out, " ")
end

local function locals(level)
  local out = {}
  local i = 1
  while true do
    local name, value = debug.getlocal(level + 1, i)
    if not name then break end
    if name:sub(1, 1) == "(" then value = type(value) end   -- temporaries: no addresses
    out[#out + 1] = name .. "=" .. tostring(value)
    i = i + 1
  end
  return table.concat(out, " ")
end

local function scopes(a, b)
  local x = 1
  print(locals(1))
  do
    local y = 2
    print(locals(1))
  end
  local z = 3
  print(locals(1))
  for i = 1, 1 do print(locals(1)) end
  for k, v in pairs({10}) do print(locals(1)) end
  return x + z
end
scopes("A", nil)

-- varargs are negative indices
local function va(a, ...)
  print(show(debug.getlocal(1, -1)), show(debug.getlocal(1, -2)), show(debug.getlocal(1, -3)))
  print(show(debug.getlocal(1, -4)))
  print(debug.setlocal(1, -2, "changed"), ...)
  print(debug.setlocal(1, -9, "nothing"))
end
va(0, "v1", "v2", "v3")
local function novararg(a)
  print(debug.getlocal(1, -1))
end
novararg(1)

-- parameters of a function value (no values, only names)
local function params(p1, p2, ...) local inner = 1 end
print(debug.getlocal(params, 1), debug.getlocal(params, 2), debug.getlocal(params, 3))
print(debug.getlocal(params, 0), debug.getlocal(params, -1))
print(debug.getlocal(print, 1))

-- setlocal changes the variable seen by the running function
local function setter()
  local v = "old"
  local name = debug.setlocal(1, 1, "new")
  print(name, v)
  print(debug.setlocal(1, 10, "no such local"))
end
setter()

-- a caller's locals seen and changed from a callee
local function callee()
  print(show(debug.getlocal(2, 1)), show(debug.getlocal(2, 2)))
  print(debug.setlocal(2, 2, 99))
end
local function caller()
  local first, second = "f", "s"
  callee()
  return second
end
print(caller())

-- temporaries: live registers without a name
local function temps()
  local a = 1
  local n, v = debug.getlocal(1, 5)
  return n
end
print(temps())
print(debug.getlocal(0, 1))              -- arguments of getlocal itself (a native frame)
print(debug.getlocal(0, 2))
print(debug.getlocal(0, 3))

-- main chunk locals at level 1 from here
local mainlocal = "main"
local n1, v1 = debug.getlocal(1, 1)
print(n1, type(v1))

-- through an explicit thread argument
local main = debug.getregistry()[1]
n1, v1 = debug.getlocal(main, 1, 1)
print(n1, type(v1))
print(debug.setlocal(main, 1, 1, show))

-- errors
print(pcall(debug.getlocal, 100, 1))
print(pcall(debug.setlocal, 100, 1, 2))
print(pcall(debug.getlocal, 1))
print(pcall(debug.getlocal, "x", 1))
print(pcall(debug.setlocal, 1, 1))
print(pcall(debug.getlocal, main, 100, 1))
print(pcall(debug.getlocal, 1, 2^53))
