-- call1.lua - calling a Lua function with one argument and one result.
local function f(a) return a end
local x=0
for i=1,10000000 do x = f(i) end
print(x)
