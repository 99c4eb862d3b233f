-- closure.lua - creating a closure with one upvalue in the loop.
local x=0
for i=1,3000000 do local f = function() return i end end
print(x)
