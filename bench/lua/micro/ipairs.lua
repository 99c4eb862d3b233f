-- ipairs.lua - a generic for over ipairs.
local t = {} for i=1,1000 do t[i]=i end
local x = 0
for j=1,5000 do for i,v in ipairs(t) do x = x + v end end
print(x)
