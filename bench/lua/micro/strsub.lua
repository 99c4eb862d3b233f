-- strsub.lua - string.sub of four bytes.
local s = string.rep("abcdef", 100) local sub = string.sub
local x
for i=1,3000000 do x = sub(s, i % 500, i % 500 + 3) end
print(x)
