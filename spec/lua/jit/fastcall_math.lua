-- fastcall_math.lua - math.sqrt, math.abs, math.floor and math.ceil called with one argument for
-- one result: compiled code computes them inline (jit/compile.ts fastcall). Integers, floats, the
-- edges of the integer range, NaN and infinities, strings (the native's conversion), bad arguments
-- (the native's message) and a local that stops being math.sqrt must all give what lua5.4 gives.
local sqrt, abs, floor, ceil = math.sqrt, math.abs, math.floor, math.ceil
local function g(x) local a = sqrt(x) local b = abs(x) local c = floor(x) local d = ceil(x) return a, b, c, d end
local vals = {0, -0.0, 1, -1, 2.5, -2.5, 1e300, -1e300, 0/0, 1/0, -1/0, math.mininteger, math.maxinteger,
  2^63, -2^63, 9007199254740993, "4", "-2.5", 1e15 + 0.5, -0.5, 0.5}
for round = 1, 3 do
  for _, v in ipairs(vals) do
    local ok, a, b, c, d = pcall(g, v)
    print(ok, a, b, c, d, math.type(a), math.type(b), math.type(c), math.type(d))
  end
end
print(pcall(g, nil))
print(pcall(g, {}))
local s = 0
for i = 1, 100 do s = s + sqrt(i) + floor(i / 3) + ceil(i / 7) + abs(-i) end
print(s)
sqrt = function (x) return "mine " .. tostring(x) end
for i = 1, 3 do print(sqrt(i), abs(-i)) end
local m = { sqrt = math.sqrt }
for i = 1, 3 do print(m.sqrt(i * i), math.floor(-i / 2), math.ceil(i / 2)) end
