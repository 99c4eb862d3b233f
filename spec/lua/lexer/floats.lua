-- Float literals: decimal point, exponents, hexadecimal floats with p exponents.
print(1.0, 1.5, .5, 5., 3.14159)
print(math.type(1.0), math.type(.5), math.type(5.))
print(1e0, 1e10, 1E10, 1e+10, 1e-3, 1.5e2, 2.5E-2)
print(math.type(1e2), 1e2 == 100)
print(0.1, 0.2, 0.1 + 0.2, 1 / 3)
print(123456789012345.0, 1234567890123456.0)
print(1e15, 1e16, 1e100, 1e308, 1e309, -1e309)
print(5e-324, 2.2250738585072014e-308)
print(0e0, 0.0, -0.0)
-- hexadecimal floats
print(0x1p4, 0x1P-1, 0x.8, 0x.8p1, 0xA.8p0, 0x1.8p1)
print(0x10p-4, 0xffp0, 0x1p63, 0x1p-1074)
print(math.type(0x1p4), math.type(0xA.), math.type(0x.1))
print(0x1.fffffffffffffp1023)
print(0xA.8, 0x.1, 0x0.1p4)
-- exponent required digits
print(load("return 1e"))
print(load("return 1e+"))
print(load("return 0x1p"))
print(load("return 1.5e2.5"))
-- numbers followed by concatenation need a space
print(1 .. "", 1.0 .. "", 1e2 .. "")
-- tonumber agrees with the lexer
print(tonumber("0x1p4"), tonumber("1e2"), tonumber(".5"), tonumber("5."))
print(tonumber("0x.8"), tonumber("0xA.8p0"), tonumber("1e309"))
