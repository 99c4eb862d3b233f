-- pairs.lua - a generic for over pairs (next).
local t = {} for i=1,1000 do t["k"..i]=i end
local x = 0
for j=1,3000 do for k,v in pairs(t) do x = x + v end end
print(x)
