-- table.insert, table.remove, table.concat, table.unpack basics.
local t = {}
table.insert(t, "a")
table.insert(t, "b")
table.insert(t, 1, "c")
table.insert(t, 2, "d")
print(#t, table.concat(t, ","))
table.insert(t, #t + 1, "e")
print(table.concat(t, ","))
print(table.remove(t), table.concat(t, ","))
print(table.remove(t, 1), table.concat(t, ","))
print(table.remove(t, 2), table.concat(t, ","))
print(table.remove({}), table.remove({}, 0), #t)
local e = {}
print(table.remove(e, #e), table.remove(e, #e + 1))
-- concat with separators, ranges, numbers
print(table.concat({ 1, 2, 3 }), table.concat({ 1, 2.5, "x" }, "-"), table.concat({}, ","))
print(table.concat({ "a", "b", "c", "d" }, ",", 2, 3), table.concat({ "a" }, ",", 2, 1))
print(pcall(table.concat, { 1, {}, 3 }, ","))
print(pcall(table.concat, { 1, nil, 3 }, ",", 1, 3))
-- unpack
print(table.unpack({ 1, 2, 3 }))
print(table.unpack({ 1, 2, 3 }, 2))
print(table.unpack({ 1, 2, 3 }, 2, 3))
print(table.unpack({ 1, 2, 3 }, 3, 5))
print(select("#", table.unpack({}, 1, 3)), select("#", table.unpack({})))
print(table.unpack({ "a", "b" }, -1, 1))
-- pack
local p = table.pack(1, nil, 3)
print(p.n, p[1], p[2], p[3])
print(table.pack().n)
-- insert/remove errors
print(pcall(table.insert, nil, 1))
print(pcall(table.insert, {}, 5, 1))
print(pcall(table.insert, {}, 1, 2, 3))
print(pcall(table.insert, {}))
print(pcall(table.remove, { 1, 2 }, 5))
print(pcall(table.unpack, {}, 1, 1e8))
-- insert shifts elements up
local s = { 1, 2, 3, 4, 5 }
table.insert(s, 3, 99)
print(table.concat(s, " "))
table.remove(s, 1)
print(table.concat(s, " "))
