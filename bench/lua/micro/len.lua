-- len.lua - the length of a sequence (LEN).
local t = {} for i=1,1000 do t[i]=i end
local x = 0
for i=1,10000000 do x = x + #t end
print(x)
