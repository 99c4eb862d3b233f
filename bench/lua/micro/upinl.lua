-- upinl.lua - adding to a local in a numeric for (the bare loop).
local n = 0
for i=1,10000000 do n = n + 1 end
print(n)
