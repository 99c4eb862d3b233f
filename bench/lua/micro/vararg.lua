-- vararg.lua - a vararg function returning select('#', ...).
local function f(...) return select('#', ...) end
local x = 0
for i=1,3000000 do x = x + f(i, i, i) end
print(x)
