-- loop.lua - the numeric for loop: 50 million iterations of integer addition.
local sum = 0
for i = 1, 50000000 do
  sum = sum + i
end
print(sum)
