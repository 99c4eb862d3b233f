-- call0.lua - calling a Lua function with no arguments and no results.
local function f() end
for i=1,10000000 do f() end
print("done")
