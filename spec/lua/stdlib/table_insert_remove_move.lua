-- table.insert / table.remove / table.move: positions, bounds and argument errors.
local function show(t, n) local r = {} for i = 1, n or #t do r[#r + 1] = tostring(t[i]) end return "{" .. table.concat(r, ",") .. "}" end
local t = {}
table.insert(t, 10); table.insert(t, 20); table.insert(t, 1, 5); table.insert(t, 3, 15)
print(show(t))
table.insert(t, #t + 1, 25)
print(show(t), #t)
print(pcall(table.insert, t, 0, 1))
print(pcall(table.insert, t, #t + 2, 1))
print(pcall(table.insert, t, -1, 1))
print(pcall(table.insert, t, 1, 2, 3))
print(pcall(table.insert, t))
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, t, "x", 1))
print(pcall(table.insert, t, 1.5, 1))
print(pcall(table.insert, 1, 2))
print(select("#", table.insert(t, 1)))
-- remove
t = {1, 2, 3, 4, 5}
print(table.remove(t), show(t))
print(table.remove(t, 1), show(t))
print(table.remove(t, 2), show(t))
print(table.remove(t, #t + 1), show(t))
print(pcall(table.remove, t, 7))
print(pcall(table.remove, t, -1))
local e = {}
print(table.remove(e), table.remove(e, 0), table.remove(e, 1), #e)
print(pcall(table.remove, e, 2))
local z = {[0] = "zero"}
print(table.remove(z, 0), z[0])
-- move
local a = {1, 2, 3, 4, 5}
print(show(table.move(a, 1, 3, 3)))
a = {1, 2, 3, 4, 5}
print(show(table.move(a, 2, 5, 1)))
local b = table.move({1, 2, 3}, 1, 3, 2, {})
print(show(b, 4))
print(show(table.move({1, 2, 3}, 1, 0, 1, {9})))
print(pcall(table.move, {}, 1, math.maxinteger, 2))
print(pcall(table.move, {}, -1, math.maxinteger, 2))
print(pcall(table.move, {1, 2, 3}, 1, 3, math.maxinteger))
print(pcall(table.move, {}, 1, 2))
print(pcall(table.move, 1, 1, 2, 3))
print(pcall(table.move, {}, 1, 2, 3, 4))
print(table.move({}, 5, 1, 1) ~= nil)
local same = {1, 2, 3}
print(show(table.move(same, 1, 3, 2, same)))
