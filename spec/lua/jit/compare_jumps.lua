-- compare_jumps.lua - the comparison instructions and their jumps in compiled code (jit/arith.ts
-- "Comparison jumps"): EQ LT LE EQK EQI LTI LEI GTI GEI, each with the jump taken when the
-- condition holds and when it does not (`if a < b` and `if not (a < b)` compile to the two values of
-- k), on operands whose kinds compiled code cannot know (values from a table): two integers, two
-- floats, the integer/float mixes (exact beyond 2^53), NaN, strings, and metamethods (which exit to
-- the interpreter). Each loop runs long enough to be compiled with the JIT on.

local big = 2^53                                  -- a float; big + 1 as an integer is not exact in a float
local values = { 1, 2, 2.0, 2.5, -3, math.maxinteger, math.mininteger, 9007199254740993, big,
  0/0, 1/0, "10", "9", "a" }
local nums = {}                                   -- numbers only (a string operand of < raises)
for i = 1, 11 do nums[i] = values[i] end

-- how often f(x, y) is 1 over all pairs of `list` (40 times over)
local function pairs01(list, f)
  local n = 0
  for r = 1, 40 do
    for i = 1, #list do
      for j = 1, #list do n = n + f(list[i], list[j]) end
    end
  end
  return n
end

-- how often f(x) is 1 over `list` (200 times over)
local function each01(list, f)
  local n = 0
  for r = 1, 200 do
    for i = 1, #list do n = n + f(list[i]) end
  end
  return n
end

local function try(name, f)
  local ok, n = pcall(pairs01, values, f)
  print(name, ok and n or ("error: " .. tostring(n):gsub("^.-:%d+: ", "")))
end

print("lt", pairs01(nums, function (a, b) if a < b then return 1 end return 0 end))
print("not lt", pairs01(nums, function (a, b) if not (a < b) then return 1 end return 0 end))
print("le", pairs01(nums, function (a, b) if a <= b then return 1 end return 0 end))
print("not le", pairs01(nums, function (a, b) if not (a <= b) then return 1 end return 0 end))
print("gt", pairs01(nums, function (a, b) if a > b then return 1 end return 0 end))
print("ge", pairs01(nums, function (a, b) if a >= b then return 1 end return 0 end))
try("eq", function (a, b) if a == b then return 1 end return 0 end)
try("ne", function (a, b) if a ~= b then return 1 end return 0 end)
try("lt strings", function (a, b) if a < b then return 1 end return 0 end)

-- immediates and constants: EQI LTI LEI GTI GEI, EQK
print("eqi", each01(values, function (a) if a == 2 then return 1 end return 0 end))
print("nei", each01(values, function (a) if a ~= 2 then return 1 end return 0 end))
print("eqk float", each01(values, function (a) if a == 2.5 then return 1 end return 0 end))
print("eqk big", each01(values, function (a) if a == 9007199254740993 then return 1 end return 0 end))
print("eqk string", each01(values, function (a) if a == "a" then return 1 end return 0 end))
print("nek string", each01(values, function (a) if a ~= "10" then return 1 end return 0 end))
print("eqk long string", each01(values, function (a)
  if a == "a string longer than forty characters, so not interned" then return 1 end return 0 end))
print("eqk nil", each01(values, function (a) if a == nil then return 1 end return 0 end))
print("eqk true", each01(values, function (a) if a == true then return 1 end return 0 end))
print("lti", each01(nums, function (a) if a < 2 then return 1 end return 0 end))
print("not lti", each01(nums, function (a) if not (a < 2) then return 1 end return 0 end))
print("lei", each01(nums, function (a) if a <= 2 then return 1 end return 0 end))
print("gti", each01(nums, function (a) if a > -3 then return 1 end return 0 end))
print("gei", each01(nums, function (a) if a >= -3 then return 1 end return 0 end))
print("while", (function ()                        -- a loop condition of unknown kinds
  local t, s = { 0, 10, 0.5 }, 0
  for r = 1, 300 do
    local i, lim, step = t[1], t[2], t[3]
    while i < lim do s = s + 1; i = i + step end
  end
  return s
end)())

-- metamethods: compiled code exits, the interpreter calls them
local mt = {
  __lt = function (x, y) return x.v < y.v end,
  __le = function (x, y) return x.v <= y.v end,
  __eq = function (x, y) return x.v == y.v end,
}
local objs = {}
for i = 1, 6 do objs[i] = setmetatable({ v = i % 3 }, mt) end
local m = 0
for r = 1, 300 do
  for i = 1, #objs do
    for j = 1, #objs do
      local a, b = objs[i], objs[j]
      if a < b then m = m + 1 end
      if not (a <= b) then m = m + 10 end
      if a == b then m = m + 100 end
    end
  end
end
print("metamethods", m)
