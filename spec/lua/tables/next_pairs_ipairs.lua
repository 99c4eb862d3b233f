-- next, pairs, ipairs on sequences and hash tables; sorted output.
local function sortedkeys(t)
  local ks = {}
  for k in pairs(t) do ks[#ks + 1] = k end
  table.sort(ks, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) < type(b)
  end)
  return ks
end
local t = { 10, 20, 30, x = "a", y = "b", [100] = "h" }
for _, k in ipairs(sortedkeys(t)) do io.write(tostring(k), "=", tostring(t[k]), " ") end
print()
-- ipairs stops at the first nil
local s = { 1, 2, nil, 4 }
local n = 0
for i, v in ipairs(s) do n = n + 1 end
print("ipairs count", n)
for i, v in ipairs({ "a", "b", "c" }) do io.write(i, v, " ") end
print()
-- next on empty and single-element tables
print(next({}))
print(next({ "only" }))
print(next({ "only" }, 1))
print(next({ k = "v" }))
-- pairs returns next, t, nil
local f, st, init = pairs(t)
print(f == next, st == t, init)
-- ipairs returns an iterator, t, 0
local f2, st2, init2 = ipairs(t)
print(type(f2), st2 == t, init2)
print(f2(t, 0), f2(t, 2), f2(t, 3))
-- pairs visits every array element exactly once (order is unspecified, so sort)
local arr = {}
for i = 1, 10 do arr[i] = i * 2 end
local seq = {}
for k, v in pairs(arr) do seq[#seq + 1] = k end
table.sort(seq)
for i, k in ipairs(seq) do seq[i] = k .. ":" .. arr[k] end
print(table.concat(seq, " "))
-- traversal with next directly
local cnt, k = 0, nil
repeat
  k = next(t, k)
  if k ~= nil then cnt = cnt + 1 end
until k == nil
print("next count", cnt)
-- assigning nil to existing fields during traversal is allowed
local h = {}
for i = 1, 50 do h["k" .. i] = i end
for k in pairs(h) do h[k] = nil end
print("after clearing", next(h))
-- modifying existing fields during traversal is allowed
local m = { a = 1, b = 2, c = 3 }
for k, v in pairs(m) do m[k] = v * 10 end
print(m.a, m.b, m.c)
-- next with invalid key
print(pcall(next, {}, "missing"))
print(pcall(next, { 1, 2 }, 5))
print(pcall(next))
print(pcall(ipairs))
-- pairs(nil) itself succeeds (returns next, nil, nil); the error comes from iterating
print(select("#", pairs(nil)), select(2, pairs(nil)))
print(pcall(function() for k in pairs(nil) do end end))
print(pcall(pairs))
-- ipairs respects __index
local proxy = setmetatable({}, { __index = function(_, i) if i <= 3 then return i * 100 end end })
for i, v in ipairs(proxy) do io.write(i, "=", v, " ") end
print()
