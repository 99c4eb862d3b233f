-- lua5.4 as packaged (LUA_COMPAT_MATHLIB) also has atan2, cosh, sinh, tanh, pow, frexp, ldexp, log10.
print(math.atan2(1, 2) == math.atan(1, 2), math.pow(2, 10), math.pow(2, 0.5) == math.sqrt(2))
print(math.frexp(8), math.frexp(0), math.frexp(-3), math.frexp(0.1), math.frexp(5e-324))
print(math.ldexp(0.5, 4), math.ldexp(1, -1075), math.ldexp(1, 1024), math.ldexp(3, 0))
print(math.log10(1000), math.log10(0.001), math.cosh(0), math.sinh(0), math.tanh(0))
print(string.format("%.17g %.17g %.17g", math.cosh(1), math.sinh(1), math.tanh(0.5)))
print(pcall(math.ldexp, 1, 1.5))
