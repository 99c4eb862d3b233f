-- strbyte.lua - string.byte of one position.
local s = string.rep("abcdef", 100) local byte = string.byte
local x = 0
for i=1,5000000 do x = x + byte(s, i % 500 + 1) end
print(x)
