-- The JIT's + - * / (assembly/jit/arith.ts arith) on every kind of operand pair in one loop: two
-- integers (wrapping), two floats, an integer and a float either way round, constants of both
-- kinds (ADDK SUBK MULK DIVK) and immediates, division by zero of both kinds, strings that convert
-- (the interpreter's coercion after an exit) and tables with metamethods, with the types of a
-- register changing from one iteration to the next. Every function runs many times so that, with
-- the JIT on, its compiled code does the work.

local fmt = string.format
local function show(v)
  if math.type(v) == "float" then return fmt("%.17g", v) end
  return tostring(v)
end

local mt = { __add = function(a, b) return "add" end, __sub = function() return "sub" end,
  __mul = function() return "mul" end, __div = function() return "div" end }
local obj = setmetatable({}, mt)
local values = { 3, -7, 2.5, -0.5, 0, 0.0, -0.0, math.maxinteger, math.mininteger, 1e308, "4", "2.5", obj,
  1 / 0, -1 / 0 }

local function all(a, b)
  local r = {}
  for i = 1, 8 do
    r[1], r[2], r[3], r[4] = a + b, a - b, a * b, a / b
  end
  return r[1], r[2], r[3], r[4]
end
local lines = {}
for i = 1, #values do
  for j = 1, #values do
    local ok, p, q, s, d = pcall(all, values[i], values[j])
    if ok then lines[#lines + 1] = fmt("%d,%d %s %s %s %s", i, j, show(p), show(q), show(s), show(d))
    else lines[#lines + 1] = fmt("%d,%d error %s", i, j, p) end
  end
end
print(#lines)
for k = 1, #lines do print(lines[k]) end

-- constants and immediates of both kinds, one operand changing type every iteration
local function consts(n)
  local x, acc = 1, {}
  for i = 1, n do
    if i % 3 == 0 then x = i + 0.5 elseif i % 3 == 1 then x = i else x = -i * 2 end
    acc[#acc + 1] = fmt("%s %s %s %s %s %s %s", show(x + 1), show(x + 2.5), show(x - 3), show(x - 0.25),
      show(x * 4), show(x * 0.5), show(x / 2))
  end
  return acc
end
local c = consts(30)
print(c[1], c[2], c[3], c[29], c[30])

-- integers wrap, floats overflow to inf, mixed pairs convert the integer
local function wrap(n)
  local a, b, f = math.maxinteger, math.mininteger, 1e300
  local s = 0
  for i = 1, n do
    a = a + 1; b = b - 1; f = f * 10
    s = s + (a // 2) % 7
  end
  return a, b, f, s, math.maxinteger + 0.0, 2^53 + 1
end
print(wrap(20))

-- division: integers give floats; zero divisors of both kinds
local function divs(n)
  local r = {}
  for i = 1, n do r[i] = (i - 3) / (i % 4) end
  return r
end
local d = divs(12)
for i = 1, #d do io.write(show(d[i]), " ") end
print()
