-- Numeric for loops: integer/float, overflow safety, step 0 error.
local function collect(a, b, c)
  local r = {}
  if c then for i = a, b, c do r[#r + 1] = tostring(i) end
  else for i = a, b do r[#r + 1] = tostring(i) end end
  return table.concat(r, " ")
end
print(collect(1, 5))
print(collect(5, 1))
print(collect(5, 1, -1))
print(collect(1, 10, 3))
print(collect(10, 1, -4))
print(collect(1, 1))
print(collect(1, 0))
print(collect(1.0, 3))
print(collect(1, 3.5))
print(collect(1, 2, 0.5))
print(collect(0.1, 0.5, 0.1))
print(collect(1, 3, 1.0))
print(collect(3, 1.5, -1))
-- near maxinteger: loop must not overflow
local max, min = math.maxinteger, math.mininteger
print(collect(max - 2, max))
print(collect(min + 2, min, -1))
print(collect(max - 5, max, 2))
print(collect(min, min + 10, 5))
print(collect(max, max, 1))
print(collect(min, min, -1))
print(collect(1, max, max))
print(collect(-1, min, min))
print(collect(0, max, max // 2))
-- float limits with integer loops
print(collect(1, 2^53 - 2^53 + 3))
print(collect(max - 1, 1e100))
print(collect(min + 1, -1e100, -1))
print(collect(3, -math.huge))
print(collect(1, 3.9))
print(collect(-1, -3.9, -1))
print(collect(1, 0/0))
-- the loop variable is a copy
for i = 1, 3 do i = i * 10; io.write(i, " ") end print()
-- loop variable types
for i = 1, 1 do print(math.type(i)) end
for i = 1.0, 1 do print(math.type(i)) end
for i = 1, 1.0 do print(math.type(i)) end
for i = 1, 1, 1.0 do print(math.type(i)) end
-- errors
print(pcall(collect, 1, 10, 0))
print(pcall(collect, 1.0, 10, 0.0))
print(pcall(collect, 1, nil))
print(pcall(collect, {}, 2))
