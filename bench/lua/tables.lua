-- tables.lua - the array part and the hash part: fill, read back, update, remove, count with pairs.
local N = 400000
local arr = {}
for i = 1, N do arr[i] = i * 3 end
local s = 0
for i = 1, #arr do s = (s + arr[i]) % 1000003 end
local hash = {}
for i = 1, N // 4 do hash["k" .. i] = i end
local h = 0
for i = 1, N // 4, 3 do h = (h + hash["k" .. i]) % 1000003 end
for i = 1, N // 4, 2 do hash["k" .. i] = nil end
local cnt = 0
for _, v in pairs(hash) do cnt = cnt + 1 end
local grid = {}
for y = 1, 200 do
  local row = {}
  for x = 1, 200 do row[x] = (x * y) % 7 end
  grid[y] = row
end
local g = 0
for y = 1, 200 do local row = grid[y] for x = 1, 200 do g = g + row[x] end end
local mixed = {}
for i = 1, 50000 do mixed[i] = i; mixed[-i] = i; mixed[i + 0.5] = i end
local m = 0
for k, v in pairs(mixed) do m = (m + v) % 1000003 end
print(s, h, cnt, g, m)
