-- floatarith.lua - float multiply-add.
local x = 0.5
for i=1,10000000 do x = x * 1.0000001 + 0.1 end
print(x)
