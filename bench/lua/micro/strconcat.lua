-- strconcat.lua - concatenating a number between two strings.
local x
for i=1,1000000 do x = "a" .. i .. "b" end
print(x)
