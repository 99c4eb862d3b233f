-- upadd.lua - a call whose body adds to a local.
local function inc() local n = 0 n = n + 1 end
for i=1,10000000 do inc() end
print("done")
