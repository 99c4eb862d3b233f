-- format1m.lua - string.format of 1M numbers (standard library goal).
local acc = 0
for i = 1, 1000000 do
  local s = string.format("%d %.3f %g", i, i / 7, i * 1.5)
  acc = acc + #s
end
print(acc)
