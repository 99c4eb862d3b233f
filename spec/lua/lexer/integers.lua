-- Decimal and hexadecimal integer literals, wraparound and overflow to float.
print(0, 1, 42, 007, 1234567890)
print(math.type(0), math.type(42), math.type(007))
print(0x0, 0xff, 0XFF, 0xAbCd, 0x7fffffffffffffff)
print(9223372036854775807, math.type(9223372036854775807))
print(math.maxinteger == 9223372036854775807)
-- decimal integer that does not fit becomes a float
print(9223372036854775808, math.type(9223372036854775808))
print(18446744073709551615, math.type(18446744073709551615))
print(100000000000000000000000, math.type(100000000000000000000000))
print(-9223372036854775808, math.type(-9223372036854775808))
print(math.mininteger, -9223372036854775807 - 1)
-- hexadecimal integers wrap around modulo 2^64
print(0xffffffffffffffff, math.type(0xffffffffffffffff))
print(0x8000000000000000, 0x8000000000000000 == math.mininteger)
print(0x10000000000000000, 0x1ffffffffffffffff)
print(0x123456789abcdef0123, math.type(0x123456789abcdef0123))
print(-0x1, -0x8000000000000000)
-- leading zeros
print(0000000000000000000000000000001, 0x0000000000000000000000001)
-- via load / tonumber
print(load("return 9223372036854775807")(), load("return 9223372036854775808")())
print(tonumber("9223372036854775807"), tonumber("9223372036854775808"))
print(tonumber("0xffffffffffffffff"), tonumber("0x10000000000000001"))
print(math.type(tonumber("10")), math.type(tonumber("0x10")))
-- malformed numbers
print(load("return 0x"))
print(load("return 12abc"))
print(load("return 0xg"))
print(load("return 1..2"))
print(load("return 08x"))
print(load("return 3.4.5"))
