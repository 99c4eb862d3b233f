-- table.sort makes exactly lua5.4's sequence of comparisons (same quicksort, same pivots).
local x = 1
local function rnd() x = (x * 1103515245 + 12345) % 2147483648 return x end
for _, n in ipairs{5, 17, 100, 101, 257, 1000} do
  local t = {}
  for i = 1, n do t[i] = rnd() % 50 end
  local h = 0
  table.sort(t, function(a, b) h = (h * 31 + a * 7 + b) % 1000000007 return a < b end)
  print(n, h, t[1], t[n])
end
-- inconsistent comparator: result must match exactly
local t = {}
for i = 1, 60 do t[i] = rnd() % 100 end
local c = 0
print(pcall(table.sort, t, function(a, b) c = c + 1 return (c % 3) == 0 end))
print(c, table.concat(t, ","))
