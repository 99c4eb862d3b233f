-- Large tables: 10000 elements in array and hash parts.
local t = {}
for i = 1, 10000 do t[i] = i * 2 end
print(#t, t[1], t[5000], t[10000], t[10001])
local sum = 0
for i, v in ipairs(t) do sum = sum + v end
print(sum)
local cnt = 0
for k, v in pairs(t) do cnt = cnt + 1 end
print(cnt)
-- hash part with string keys
local h = {}
for i = 1, 10000 do h["key" .. i] = i end
local hs, hc = 0, 0
for k, v in pairs(h) do hs = hs + v; hc = hc + 1 end
print(hc, hs, h.key1, h.key10000, h.key10001)
-- delete half and count again
for i = 1, 10000, 2 do h["key" .. i] = nil end
hc = 0
for k in pairs(h) do hc = hc + 1 end
print(hc)
-- sparse integer keys
local sp = {}
for i = 1, 10000 do sp[i * 7] = i end
local sc = 0
for k in pairs(sp) do sc = sc + 1 end
print(sc, sp[7], sp[70000])
-- float keys
local fl = {}
for i = 1, 10000 do fl[i + 0.5] = i end
print(fl[1.5], fl[10000.5])
-- shrink from the end
for i = 10000, 1, -1 do t[i] = nil end
print(#t, next(t))
-- table.insert at front of a 2000 element table
local q = {}
for i = 1, 2000 do table.insert(q, 1, i) end
print(#q, q[1], q[2000])
-- concat of large table
local parts = {}
for i = 1, 10000 do parts[i] = "x" end
print(#table.concat(parts))
-- nested large structure
local grid = {}
for i = 1, 100 do
  grid[i] = {}
  for j = 1, 100 do grid[i][j] = i * j end
end
print(grid[100][100], grid[37][59], #grid, #grid[50])
