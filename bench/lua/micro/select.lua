-- select.lua - select('#', ...) with three arguments.
local select = select
local x = 0
for i=1,3000000 do x = x + select('#', i, i, i) end
print(x)
