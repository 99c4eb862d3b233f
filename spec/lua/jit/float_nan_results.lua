-- float_nan_results.lua - float +, -, * and / in compiled loops give the NaN the interpreter (and
-- lua5.4 on the same processor) gives: a NaN operand propagates, with its sign, and of two NaNs the
-- one arithfast keeps. A NaN's sign shows in tostring ("nan" or "-nan"). Each function runs in a
-- loop many times so that, with the JIT on, its compiled code runs.

local function ops(x, y)
  local s, d, p, q
  for _ = 1, 3 do s = x + y; d = x - y; p = x * y; q = x / y end
  return s, d, p, q
end

local function kops(x)
  local a, b, c, e
  for _ = 1, 3 do a = x + 2.5; b = x - 2.5; c = x * 2.5; e = x / 2.5 end
  return a, b, c, e
end

local nan = 0/0
local pos = -nan
local cases = { { 1.5, nan }, { nan, 1.5 }, { 1.5, pos }, { pos, 1.5 }, { nan, pos }, { pos, nan },
                { nan, nan }, { 3, nan }, { nan, 3 }, { 1.5, 0.0 }, { 0.0, 0.0 }, { math.huge, -math.huge } }
for round = 1, 400 do
  for i, xy in ipairs(cases) do
    local r = { ops(xy[1], xy[2]) }
    local k = { kops(xy[1]) }
    if round == 400 then print(i, r[1], r[2], r[3], r[4], k[1], k[2], k[3], k[4]) end
  end
end
