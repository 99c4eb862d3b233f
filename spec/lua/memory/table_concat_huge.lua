-- table.concat whose result would pass the memory limit fails with "not enough memory".
local piece = string.rep("x", 2^20)
local t = {}
for i = 1, 2048 do t[i] = piece end          -- 2 GiB of text, but one shared string
print(pcall(table.concat, t))
print(pcall(table.concat, t, ","))
print(#table.concat(t, "", 1, 4))
t, piece = nil, nil
collectgarbage()
print(collectgarbage("count") < 4096)
