-- An ever-growing array of tables ends with "not enough memory", caught by pcall; once the table is
-- garbage, memory use drops back.
local t = {}
local ok, e = pcall(function() while true do t[#t + 1] = {} end end)
print(ok, e, #t > 100000)
t = nil
collectgarbage()
print(collectgarbage("count") < 4096)
local u = {}
for i = 1, 1000 do u[i] = {i} end
print(#u, u[1000][1])
