-- known_kinds.lua - what compiled code knows of the kinds of registers within a block
-- (jit/kinds.ts): an operand that got past arithmetic is a number, a result's kind follows from its
-- operands', and the tests and the exit those make impossible are left out. Knowledge must end
-- wherever the value may have changed behind compiled code's back: debug.setlocal from an __index
-- function that a table unit's slow half calls, or from a function called in between; an open
-- upvalue written by a closure called in between. Plus the number rules with known kinds:
-- integer wraparound, / of integers, // and % by zero (errors), NaN results, mixed comparisons.
-- Each function runs many times so that, with the JIT on, its code runs.

local function setter(name, value)              -- __index that rewrites a local of its caller's caller
  return { __index = function (t, k)
    for l = 1, 40 do
      local n = debug.getlocal(2, l)
      if not n then break end
      if n == name then debug.setlocal(2, l, value) end
    end
    return 1
  end }
end

-- a loop (register cache on): x is known to be a number after x * 2, then an __index rewrites it
local function f(objs, n)
  local acc = 0
  for i = 1, n do
    local x = i + 0.5
    local y = x * 2                              -- x: a number from here on
    local z = objs[i].w                          -- absent: __index may make x a string
    acc = acc + y + z + x * 3                    -- x * 3 with x "7" is the interpreter's coercion
  end
  return acc
end
local objs = {}
for i = 1, 40 do objs[i] = i % 13 == 0 and setmetatable({}, setter("x", "7")) or { w = 1 } end
local t = 0
for r = 1, 50 do t = t + f(objs, 40) end
print("setlocal via __index", t)

-- the same without a loop (no register cache): knowledge ends at every helper
local function g(o, a)
  local b = a * 2
  local c = o.w
  return a * 3 + b + c
end
local s = 0
for r = 1, 300 do s = s + g(setmetatable({}, r % 7 == 0 and setter("a", "5") or { __index = function () return 2 end }), r) end
print("setlocal without loops", s)

-- an error after the rewrite: a local made a table, then used in arithmetic (the message names it)
local function h(o, n)
  local v = 0
  for i = 1, n do
    v = v + i
    local _ = o.w
    v = v * 1
  end
  return v
end
for r = 1, 30 do
  local ok, err = pcall(h, setmetatable({}, r == 30 and setter("v", {}) or { __index = function () return 0 end }), 5)
  if not ok then print("error", (err:gsub("^.-:%d+: ", ""))) end
end

-- an open upvalue: a closure called in between writes the loop's local
local function u(n)
  local total, k = 0, 0
  local bump = function () k = k + 0.5 end
  for i = 1, n do
    k = i * 2
    bump()
    total = total + k * 3
  end
  return total
end
local ut = 0
for r = 1, 50 do ut = ut + u(30) end
print("upvalue", ut)

-- number rules on known kinds
local function nums(n)
  local mi, ma = math.mininteger, math.maxinteger
  local r = {}
  for i = 1, n do
    local a = i + 0                              -- integer
    local b = a * 1.5                            -- float
    local w = ma + a                             -- wraps
    local q = a / 2                              -- float
    local d = a // 3 + a % 3                     -- integers
    local nn = (b - b) / 0.0                     -- NaN
    local m = -(mi + a - 1)                      -- unary minus of an integer (wraps at mininteger)
    local c1 = a < b and b <= a * 2 and a == i and b ~= a
    r[#r + 1] = string.format("%d %.1f %d %.1f %d %s %d %s", a, b, w, q, d, tostring(nn ~= nn), m, tostring(c1))
  end
  return r
end
local last
for k = 1, 40 do last = nums(4) end
print(table.concat(last, " | "))

local function divzero(n, z)
  local s = 0
  for i = 1, n do
    local a = i + 1
    s = s + a // (z + 0)                         -- a known integer, z + 0 an integer that may be 0
  end
  return s
end
for k = 1, 30 do
  local ok, err = pcall(divzero, 10, k == 30 and 0 or 1)
  if not ok then print("divzero", (err:gsub("^.-:%d+: ", ""))) end
end

-- a for loop's control variable is a number at its body's start, unless a goto can come back
-- there after the body assigned it (then nothing is known: "7" * 2 is the interpreter's coercion)
local function keys(t, n)
  local s = 0
  for i = 1, n do s = s + i * 2 + #tostring(t[i]) end
  return s
end
local function again(t, n)
  local s = 0
  for i = 1, n do
    ::top::
    s = s + i * 2 + #tostring(t[i])
    if i == 2 then i = "7"; goto top end
  end
  return s
end
local kt, ka = 0, 0
local tt = { 10, 200, 3000, ["7"] = "seven" }
for r = 1, 400 do kt = kt + keys(tt, 4); ka = ka + again(tt, 4) end
print("for keys", kt, ka)
