local a, b, c = 1, 2, 3
local s = "x"
local x = a + b * c - a / b % c ^ 2 // 3
x = -a, not b, #s, ~c
x = a .. b .. c .. s
x = a == b, a ~= b, a < b, a <= b, a > b, a >= b
x = a and b or c
x = (a or b) and (c or a)
x = a + 1, a - 1, a * 2, a / 2, a % 2, a ^ 2, a // 2, 1 + a, 2 * a, 3 - a
x = a & 1, a | 2, a ~ 3, a << 1, a >> 1, 1 << a, 1 >> a, a << -1, a >> 200
x = a & b, 1 & a, a | 1000000000000
x = a == 1, a == 1.0, a == "s", a == nil, a == true, 1 == a, "s" == a
x = a < 1, a <= 2.0, a > 3, a >= 4, 1 < a, 2 <= a, a < 1000, a < 0.5
x = a + 300, a - 300, a + 127, a - 128, a - 127, a + 128
x = a.b.c, a[1], a[b], a["str"], a[300], a[-1], a[1.5], a[true]
x = { }, {1, 2, 3}, {a = 1, b = 2, [3] = 4}, {f()}, {f(), g()}, {...}
x = f(), f(1), f(a, b), f(...), f "s", f {1}, a:m(1), a.b:m(), a:m "s"
x = (f()), (...)
x = not not a, not (a == b), not nil, not 1, not a and b
x = a and 1 or 2, a or 1 and 2
x = a > b and b > c or c > a
local t = { a = a and b, b = a or b }
