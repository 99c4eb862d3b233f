-- sortcmp.lua - table.sort with a Lua comparator.
for j=1,30 do local t = {} for i=1,10000 do t[i] = (i*7919)%10007 end table.sort(t, function(a,b) return a<b end) end
print("done")
