-- find.lua - string.find with a bracket class.
local s = string.rep("abcdef", 100) .. "xyz" local find = string.find
local x = 0
for i=1,300000 do x = x + find(s, "[xyz]", i % 100 + 1) end
print(x)
