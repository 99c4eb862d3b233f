-- table.sort: default order, comparators, stability-independent checks, errors.
local function show(t) local r = {} for i = 1, #t do r[i] = tostring(t[i]) end return table.concat(r, " ") end
local t = {5, 2, 8, 1, 9, 3, 7, 4, 6, 0}
table.sort(t) print(show(t))
table.sort(t, function(a, b) return a > b end) print(show(t))
local s = {"pear", "apple", "fig", "banana", "cherry", "Apple", "", "b"}
table.sort(s) print(show(s))
local m = {3, 1.5, -2, 2^53, -0.5, 10, math.huge, -math.huge, math.mininteger, math.maxinteger}
table.sort(m) print(show(m))
local one = {42} table.sort(one) print(show(one))
local empty = {} table.sort(empty) print(#empty)
local two = {2, 1} table.sort(two) print(show(two))
local three = {3, 1, 2} table.sort(three) print(show(three))
-- larger inputs: sorted, reversed, equal keys, pseudo-random
local function check(t, lt)
  lt = lt or function(a, b) return a < b end
  for i = 2, #t do if lt(t[i], t[i - 1]) then return "unsorted at " .. i end end
  return "ok " .. #t
end
local n = 1000
local asc, desc, eq, rnd = {}, {}, {}, {}
local x = 12345
for i = 1, n do
  asc[i] = i; desc[i] = n - i; eq[i] = 7
  x = (x * 1103515245 + 12345) % 2147483648
  rnd[i] = x % 1000
end
table.sort(asc) table.sort(desc) table.sort(eq) table.sort(rnd)
print(check(asc), check(desc), check(eq), check(rnd))
local rs = {}
for i = 1, 200 do rs[i] = {k = (i * 7919) % 101, i = i} end
table.sort(rs, function(a, b) return a.k < b.k end)
print(check(rs, function(a, b) return a.k < b.k end), rs[1].k, rs[200].k)
local words = {}
for w in ("the quick brown fox jumps over the lazy dog again and again"):gmatch("%a+") do words[#words + 1] = w end
table.sort(words, function(a, b) if #a ~= #b then return #a < #b end return a < b end)
print(show(words))
-- errors
print(pcall(table.sort, {3, "a", 1}))
print(pcall(table.sort, {3, 2, 1}, 1))
print(pcall(table.sort, {{}, {}}))
local bad = {}
for i = 1, 20 do bad[i] = i % 5 end
print(pcall(table.sort, bad, function(a, b) return true end))
print(pcall(table.sort, {1, 2, 3}, function(a, b) error("cmp failed") end))
print(select("#", pcall(table.sort, {1, 2, 3}, function(a, b) error({}) end)), type(select(2, pcall(table.sort, {1, 2, 3}, function(a, b) error({}) end))))
print(pcall(table.sort, setmetatable({}, {__len = function() return 2^40 end})))
print(pcall(table.sort, nil))
print(pcall(table.sort, {2, 1}, nil), pcall(table.sort, {2, 1}, false))
-- __lt on elements
local mt = {__lt = function(a, b) return a.v < b.v end}
local objs = {}
for i, v in ipairs{4, 2, 9, 1} do objs[i] = setmetatable({v = v}, mt) end
table.sort(objs)
print(objs[1].v, objs[2].v, objs[3].v, objs[4].v)
