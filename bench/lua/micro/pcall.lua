-- pcall.lua - pcall of a Lua function that returns its argument.
local function f(a) return a end
local x = 0
for i=1,3000000 do local ok, v = pcall(f, i) x = x + v end
print(x)
