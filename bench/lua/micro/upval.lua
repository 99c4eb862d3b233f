-- upval.lua - a call that increments an upvalue.
local n = 0
local function inc() n = n + 1 end
for i=1,10000000 do inc() end
print(n)
