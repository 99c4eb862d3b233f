-- strings.lua - string building: concatenation in a loop, table.concat, string.rep, format, sub, byte.
local parts = {}
for i = 1, 100000 do parts[#parts + 1] = string.format("%d:%s;", i, tostring(i * 7)) end
local joined = table.concat(parts)
local s = ""
for i = 1, 3000 do s = s .. string.char(65 + i % 26) end
local acc = 0
for i = 1, #joined, 97 do acc = (acc + string.byte(joined, i)) % 65521 end
local rep = string.rep("ab", 100000, ",")
local upper = 0
for i = 1, 50000 do
  local w = ("item" .. i):upper():sub(2, 6)
  upper = upper + #w
end
local lines = {}
for i = 1, 20000 do lines[i] = ("%5d|%-8s|%x"):format(i, "n" .. i % 100, i) end
print(#joined, #s, s:sub(-10), acc, #rep, upper, #table.concat(lines, "\n"))
