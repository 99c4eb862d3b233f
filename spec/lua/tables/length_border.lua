-- The # operator on sequences (tables without holes).
print(#{}, #{ 1 }, #{ 1, 2, 3 }, #{ n = 1 })
local t = {}
for i = 1, 100 do t[i] = i end
print(#t)
t[#t + 1] = "appended"
print(#t, t[101])
t[#t] = nil
print(#t)
for i = 100, 51, -1 do t[i] = nil end
print(#t)
-- growing from empty one at a time
local g = {}
for i = 1, 10 do g[#g + 1] = i * i end
print(#g, g[10])
-- removing everything
for i = #g, 1, -1 do g[i] = nil end
print(#g)
-- strings and tables with hash part only
local h = { a = 1, b = 2 }
print(#h)
-- constructor with trailing nil: border is 3 or ... a sequence up to 3
local s = { 1, 2, 3, nil }
print(#s)
-- sequence built in reverse order is still a sequence
local r = {}
for i = 20, 1, -1 do r[i] = i end
print(#r)
-- keys with zero and negative indices do not count
local z = { [0] = 0, [-1] = -1, 1, 2 }
print(#z)
-- float integral keys count
local f = {}
f[1.0] = "a"; f[2.0] = "b"; f[3] = "c"
print(#f)
-- rawlen matches # for tables and strings
print(rawlen({ 1, 2, 3 }), rawlen("abcd"), rawlen(t))
print(pcall(rawlen, 5))
print(pcall(rawlen))
