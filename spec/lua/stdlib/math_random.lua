-- math.random with fixed seeds follows lua5.4's xoshiro256** sequence exactly.
print(math.randomseed(42))
print(math.random(1, 100), math.random(), math.random(0))
math.randomseed(42)
local t = {}
for i = 1, 10 do t[i] = math.random(1, 6) end
print(table.concat(t, " "))
math.randomseed(0)
for i = 1, 5 do io.write(string.format("%.17g ", math.random())) end print()
math.randomseed(123, 456)
print(math.random(0), math.random(0), math.random(10), math.random(-10, 10))
math.randomseed(-1)
print(math.random(math.mininteger, math.maxinteger), math.random(math.maxinteger), math.random(1, 1))
math.randomseed(7)
local counts = {0, 0, 0}
for i = 1, 3000 do local r = math.random(3) counts[r] = counts[r] + 1 end
print(counts[1] + counts[2] + counts[3], counts[1], counts[2], counts[3])
math.randomseed(99)
print(math.random(3.0), math.random(2^53))
print(pcall(math.random, 2, 1))
print(pcall(math.random, 0, -1))
print(pcall(math.random, 1, 2, 3))
print(pcall(math.random, 1.5))
print(pcall(math.random, "a"))
print(pcall(math.randomseed, 1.5))
print(pcall(math.randomseed, "x"))
math.randomseed(5.0)
local a = math.random(1000)
math.randomseed(5)
print(a == math.random(1000))
-- randomseed() with no argument returns two integers and keeps random working
local s1, s2 = math.randomseed()
print(math.type(s1), math.type(s2))
local r = math.random()
print(r >= 0 and r < 1)
math.randomseed(2024)
local lo, hi = math.huge, -math.huge
for i = 1, 1000 do local v = math.random(-5, 5) if v < lo then lo = v end if v > hi then hi = v end end
print(lo, hi)
