local a = "x"
local b = 2
local c = 3local d = [[x
y]]
return a, b, c, d
