-- constructor_inline_growth.lua - tables made by constructors of small known size (their parts
-- live in the table's own block) keep working as they grow past that size, shrink, are traversed
-- and collected: multi-value last items, SETLIST growth, new keys, # and traversal order.
local function two () return "a", "b" end
local function one () return "x" end
local function none () end
local function show (t)
  local ks = {}
  for k, v in pairs(t) do ks[#ks + 1] = tostring(k) .. "=" .. tostring(v) end
  return #t .. ": " .. table.concat(ks, " ")
end
print(show({ 1, one() }))
print(show({ 1, two() }))
print(show({ 1, none() }))
print(show({ one() }))
print(show({ 1, 2, 3, two() }))
print(show({ x = 1, y = 2, one() }))
print(show({ 1, x = 1, two() }))
local t = { 10, 20 }
for i = 3, 40 do t[i] = i * 10 end
print(show(t))
local p = { x = 1, y = 2 }
for i = 1, 10 do p["k" .. i] = i end
p.x = nil
local n = 0 for _ in pairs(p) do n = n + 1 end
print(n, p.y, p.k10)
local q = { 1, 2, 3 }
q[4] = 4; q[6] = 6; table.insert(q, 1, 0); table.remove(q, 2)
print(show(q))
-- many short-lived ones through collections, some kept
local keep = {}
for i = 1, 20000 do
  local s = { i, one() }
  local h = { x = i, y = -i }
  if i % 1000 == 0 then keep[#keep + 1] = s; keep[#keep + 1] = h; h.z = i; s[3] = i end
end
collectgarbage()
local sum = 0
for _, v in ipairs(keep) do sum = sum + (v[1] or 0) + (v[3] or 0) + (v.x or 0) + (v.z or 0) end
print(#keep, sum)
