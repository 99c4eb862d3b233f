-- loop50m.lua - a 50M-iteration numeric for loop (interpreter core goal).
local s = 0
for i = 1, 50000000 do s = s + i end
print(s)
