-- intloops.lua - JIT kernel: integer arithmetic in numeric for loops (wrapping multiply-add, floor
-- division and modulo by constants, a conditional), a float accumulation; prints the checksums.
local function mix(n)
  local h, m = 0, 0
  for i = 1, n do
    h = h * 31 + i
    if i % 3 == 0 then m = m + i // 7 else m = m - 1 end
  end
  return h, m
end
local function fsum(n)
  local s = 0.0
  for i = 1, n do s = s + i * 0.5 - (i % 5) end
  return s
end
local h, m = mix(5000000)
print(h, m, fsum(5000000))
