-- sort.lua - table.sort on integers, on strings and with a Lua comparison function.
local function lcg (seed) return (seed * 75 + 74) % 65537 end
local a, x = {}, 42
for i = 1, 100000 do x = lcg(x); a[i] = x end
table.sort(a)
local ok = true
for i = 2, #a do if a[i - 1] > a[i] then ok = false end end
local s = {}
for i = 1, 30000 do x = lcg(x); s[i] = "k" .. x end
table.sort(s)
local r = {}
for i = 1, 30000 do x = lcg(x); r[i] = { key = x, id = i } end
table.sort(r, function (p, q) if p.key ~= q.key then return p.key > q.key end return p.id < q.id end)
print(ok, a[1], a[50000], a[#a], s[1], s[#s], r[1].key, r[1].id, r[#r].key)
