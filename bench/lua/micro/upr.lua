-- upr.lua - a call that returns an upvalue.
local n = 0
local function inc() return n end
for i=1,10000000 do inc() end
print(n)
