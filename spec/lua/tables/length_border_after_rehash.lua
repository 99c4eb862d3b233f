-- '#' of a table whose array part ends with one free slot after a rehash: lua5.4 returns the border
-- just before that slot (luaH_getn tries limit - 1 before a binary search). Found by difffuzz.
local t = {0, 77, 5, 9, 10}
t[7.0] = 1              -- key 7 goes to the hash part; the rehash grows the array to 8 slots
print(#t)
t[#t + 1] = 2
print(#t, t[6], t[7], t[8])
local u = {1, 2, 3}
u[5] = 5
print(#u)
local w = {}
for i = 1, 7 do w[i] = i end
w[8] = nil
w[7] = nil
print(#w)
