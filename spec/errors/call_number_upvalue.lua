local n = 5
local function g() return n() end
g()
