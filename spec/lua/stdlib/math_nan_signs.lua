-- NaN results print with glibc's signs (x86: 0/0 is -nan; asin/acos/log10 domain errors are nan).
local nan = 0/0
local pnan = -(0/0)
print(nan, pnan)
local fs = {"sin","cos","tan","asin","acos","atan","exp","log","sqrt","floor","ceil","abs","cosh","sinh","tanh","log10"}
for _, f in ipairs(fs) do
  print(f, math[f](nan), math[f](pnan), math[f](-2), math[f](2), math[f](math.huge), math[f](-math.huge))
end
print(math.log(-1, 2), math.log(-1, 10), math.log(-1, 3), math.log(2, -1), math.log(nan, 2), math.log(pnan, 2), math.log(pnan, 3))
print(math.fmod(1, 0.0), math.fmod(1.0, 0), math.fmod(math.huge, 1), math.fmod(nan, 1), math.fmod(pnan, 1), math.fmod(1, pnan), math.fmod(-1, 0.0))
print(math.max(nan, 1), math.min(1, nan), math.modf(nan), math.modf(pnan), math.frexp(pnan), math.ldexp(pnan, 1), math.ldexp(nan, 1))
print(math.fmod(-1, math.huge), math.fmod(-0.0, 5), math.fmod(5.5, -math.huge))
