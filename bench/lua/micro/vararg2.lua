-- vararg2.lua - a vararg function unpacking two of its varargs.
local function f(...) local a, b = ... return a end
local x = 0
for i=1,3000000 do x = x + f(i, i, i) end
print(x)
