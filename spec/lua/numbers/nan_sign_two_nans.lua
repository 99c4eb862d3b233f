-- Arithmetic on two NaNs of different signs gives the NaN lua5.4 (gcc, x86-64) gives: the second
-- operand's for +, the first's for - and * (found by difffuzz). tostring shows the sign.
local p, n = -(0/0), 0/0
print(p, n)
print(p * n, n * p, p + n, n + p, p - n, n - p, p / n, n / p)
print(p * 2, 2 * p, n * 2, 2 * n, p + 1, 1 + n)
local t = {p, n}
print(t[1] * t[2], t[2] * t[1], t[1] + t[2], t[2] + t[1])
print(p * 3.5, n * 3.5, p + 0.5, n + 0.5, p - 1, n - 1)
print(math.asin(3) * math.fmod(-1/0, 1), (1/0) * 0, 0 * (-1/0))
