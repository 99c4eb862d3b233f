-- math.type distinguishes integers and floats; results of operators.
print(math.type(1), math.type(1.0), math.type("1"), math.type(nil), math.type({}))
print(1 == 1.0, math.type(1 + 1), math.type(1 + 1.0), math.type(1.0 + 1.0))
print(math.type(2 * 3), math.type(2 * 3.0), math.type(6 - 1), math.type(6 - 1.0))
-- / and ^ always produce floats
print(4 / 2, math.type(4 / 2), 2 ^ 2, math.type(2 ^ 2))
print(1 / 1, 0 / 1, 7 / 7)
-- // and % keep integer type for integer operands
print(7 // 2, math.type(7 // 2), 7.0 // 2, math.type(7.0 // 2))
print(7 % 2, math.type(7 % 2), 7 % 2.0, math.type(7 % 2.0))
-- unary minus
print(-1, -1.0, -(-1), math.type(-1), math.type(-1.0))
-- conversion functions
print(math.tointeger(3.0), math.tointeger(3.5), math.tointeger("8"), math.tointeger(2^63))
print(3 | 0, math.type(3.0 | 0))
print(math.floor(3.7), math.type(math.floor(3.7)), math.ceil(3.2), math.type(math.ceil(3.2)))
print(math.floor(-3.5), math.ceil(-3.5))
print(math.abs(-5), math.abs(-5.5), math.abs(math.mininteger))
print(math.max(1, 2.5), math.max(3, 2), math.min(1, 2.5), math.type(math.max(1, 2)))
print(math.huge, -math.huge, math.pi)
print(math.maxinteger, math.mininteger)
print(math.ult(1, -1), math.ult(-1, 1))
-- integer-valued floats print with .0
print(1e2, 2^53, -0.0, 100 / 2, 3.0)
print(1 + 0.0, 10 // 1.0, 2^0)
