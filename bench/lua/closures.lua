-- closures.lua - creating closures, calling them, and updating shared upvalues; higher-order helpers.
local function map (t, f) local r = {} for i = 1, #t do r[i] = f(t[i]) end return r end
local function filter (t, p) local r = {} for i = 1, #t do if p(t[i]) then r[#r + 1] = t[i] end end return r end
local function reduce (t, f, acc) for i = 1, #t do acc = f(acc, t[i]) end return acc end
local function counter ()
  local n = 0
  return function (k) n = n + k; return n end
end
local function compose (f, g) return function (x) return f(g(x)) end end

local xs = {}
for i = 1, 1000 do xs[i] = i end
local total = 0
for round = 1, 600 do
  local add = function (x) return x + round end
  local odd = function (x) return x % 2 == 1 end
  local ys = filter(map(xs, compose(add, function (x) return x * 2 end)), odd)
  total = (total + reduce(ys, function (a, b) return a + b end, 0)) % 1000003
end
local c, made = 0, 0
for i = 1, 500000 do
  local f = counter()
  f(i % 1000); made = (made + f(1)) % 1000003
  c = c + 1
end
print(total, c, made)
