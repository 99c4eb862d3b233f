-- Integer arithmetic wraps around modulo 2^64.
local max, min = math.maxinteger, math.mininteger
print(max + 1 == min, max + 1)
print(min - 1 == max, min - 1)
print(max * 2, min * 2, max * max)
print(-min == min, -min)
print(min * -1)
print(max + max, min + min)
print(0x7fffffffffffffff + 1)
print(1 << 63, (1 << 63) - 1)
print(math.abs(min))
-- float arithmetic does not wrap
print(max + 1.0, min - 1.0, max * 2.0)
print(math.type(max + 1.0))
-- integer multiplication wraparound examples
print(4294967296 * 4294967296)
print(3037000500 * 3037000500)
print(123456789 * 987654321 * 1000)
-- unary minus on mininteger literal-like expressions
print(-9223372036854775807 - 1, -(-9223372036854775807 - 1))
-- comparison after wrap
print(max + 1 < max, min - 1 > min)
