-- method3.lua - a method call found three __index levels up.
local A = {} A.__index = A
function A:get() return self.v end
local B = setmetatable({}, {__index=A}) B.__index = B
local C = setmetatable({}, {__index=B}) C.__index = C
local o = setmetatable({v=1}, C)
local x = 0
for i=1,5000000 do x = x + o:get() end
print(x)
