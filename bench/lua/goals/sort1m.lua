-- sort1m.lua - table.sort of 1M numbers (standard library goal).
local t = {}
local x = 42
for i = 1, 1000000 do x = (x * 1103515245 + 12345) % 2147483648; t[i] = x end
table.sort(t)
local ok = true
for i = 2, #t do if t[i - 1] > t[i] then ok = false break end end
print(#t, ok, t[1], t[#t])
