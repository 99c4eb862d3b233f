-- x ^ -1 is 1/x correctly rounded, as glibc's pow gives it (found by difffuzz: the pow core was one
-- ulp off for 2^63 - 1024).
local x = 2^63 - 1024
print(string.format("%a %a", x ^ -1, 1 / x))
print(string.format("%a %a %a", 3 ^ -1, 0.1 ^ -1, (2^53 - 1) ^ -1))
print(0 ^ -1, (-0.0) ^ -1, (1/0) ^ -1, (-1/0) ^ -1, (0/0) ^ -1 ~= (0/0) ^ -1, 2 ^ -1, 4 ^ -1.0)
local v3 = ((-1000) % (9223372036854775808)) ^ (-1)
print(string.format("%a", v3), (-7) % v3 > 0)
print(((-2.5) % 0) ^ -1, (-(0/0)) ^ -1, (0/0) ^ -1)
