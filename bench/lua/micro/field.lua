-- field.lua - reading a present string field (GETFIELD).
local o = {a=1,b=2,c=3}
local x = 0
for i=1,10000000 do x = x + o.b end
print(x)
