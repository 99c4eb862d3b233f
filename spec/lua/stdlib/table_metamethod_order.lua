-- The table library's reads, writes and length queries through metamethods, in lua5.4's order.
print(pcall(table.concat, io.stdout))
print(pcall(table.insert, io.stdout, 1))
print(pcall(table.unpack, io.stdout))
local log = {}
local p = setmetatable({}, {__index = function(t, k) log[#log+1] = "r" .. k return rawget(t, "_" .. k) end,
  __newindex = function(t, k, v) log[#log+1] = "w" .. k rawset(t, "_" .. k, v) end, __len = function() log[#log+1] = "len" return 5 end})
for i = 1, 5 do p[i] = i * 10 end
log = {}
table.move(p, 1, 5, 3)
print(table.concat(log, " "))
log = {}
table.move(p, 3, 7, 1)
print(table.concat(log, " "))
log = {}
print(table.concat(p, ","), table.concat(log, " "))
log = {}
table.sort(p) print(table.concat(log, " "))
log = {}
print(table.remove(p, 1), table.concat(log, " "))
log = {}
table.insert(p, 2, 99) print(table.concat(log, " "))
print(pcall(table.insert, setmetatable({}, {__newindex = function() error("nope") end}), 1))
print(pcall(table.concat, setmetatable({}, {__index = function() error("idx") end, __len = function() return 2 end})))
print(pcall(table.sort, setmetatable({}, {__len = function() error("len!") end})))
print(pcall(table.sort, {1, 2}, function() return 1 < "x" end))
local mt = {__eq = function() print("eq called") return true end}
local a, b = setmetatable({1, 2, 3}, mt), setmetatable({}, mt)
table.move(a, 1, 3, 2, b)
print(b[1], b[2], b[3], b[4])
print(table.unpack(setmetatable({}, {__index = function(_, k) return k end}), 1, 4))
print(#table.pack(table.unpack({}, 1, 250)))
print(pcall(table.remove, setmetatable({}, {__len = function() return 2^53 end})))
print(table.concat({1, 2, 3}, ", ", 3, 2), table.concat({1, 2}, nil), table.concat({"a", "b"}, 1))
print(pcall(table.insert, {}, 1, nil), pcall(table.insert, {1, 2}, 3, nil))
local t = {n = 1} table.insert(t, "x") print(t[1], #t)
