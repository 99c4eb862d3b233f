-- gettabup.lua - reading a global (GETTABUP).
local x = 0
y = 1
for i=1,10000000 do x = x + y end
print(x)
