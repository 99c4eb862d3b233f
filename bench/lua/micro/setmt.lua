-- setmt.lua - setmetatable on fresh tables.
local C = {} C.__index = C
for i=1,2000000 do local o = setmetatable({}, C) end
print("done")
