-- findplain.lua - string.find plain.
local s = string.rep("abcdef", 100) .. "xyz" local find = string.find
local x = 0
for i=1,300000 do x = x + find(s, "xyz", 1, true) end
print(x)
