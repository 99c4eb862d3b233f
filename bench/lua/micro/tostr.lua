-- tostr.lua - tostring of integers.
local x
for i=1,2000000 do x = tostring(i) end
print(x)
