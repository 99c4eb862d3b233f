-- method.lua - a method call found one __index level up (SELF).
local C = {} C.__index = C
function C:get() return self.v end
local o = setmetatable({v=1}, C)
local x = 0
for i=1,5000000 do x = x + o:get() end
print(x)
