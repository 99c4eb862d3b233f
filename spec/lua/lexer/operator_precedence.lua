-- Operator precedence and associativity (low to high):
-- or; and; < > <= >= ~= ==; |; ~; &; << >>; ..; + -; * / // %; unary (not # - ~); ^
print(1 + 2 * 3, (1 + 2) * 3, 2 * 3 + 1, 10 - 4 - 3, 10 - (4 - 3))
print(2 ^ 3 ^ 2, (2 ^ 3) ^ 2, -2 ^ 2, (-2) ^ 2, 2 ^ -1)
print(-3 % 5, (-3) % 5, -(3 % 5), 7 // 2 * 2, 7 % 4 // 2)
print(not nil == true, not (nil == true), not 1 == nil)
print(1 .. 2 .. 3, "a" .. 1 + 2, 2 * 3 .. "")
print(1 < 2 == true, "b" > "a" == true)
print(1 | 2 ~ 3 & 4, (1 | 2) ~ (3 & 4), 1 << 2 | 1, 1 << (2 | 1))
print(5 & 3 << 1, (5 & 3) << 1, 1 + 1 << 1, 16 >> 1 + 1)
print(#"abc" + 1, -#"abc", #"ab" .. "x", ~0 + 1, - - 2, not not 0)
print(2 ^ -2 ^ 2, -2 ^ -2)
-- and / or short-circuit and return operands
print(nil and 1, false and 1, 0 and 1, "" and "yes")
print(nil or "dflt", false or nil, 1 or error("not evaluated"))
print(1 and 2 or 3, nil and 2 or 3, false or false and 1)
print(1 == 1 and "eq" or "ne", 1 == 2 and "eq" or "ne")
print(nil == false, 0 == false, "" == false)
-- or binds looser than and
print(true or false and nil, (true or false) and nil)
-- comparison operators are non-associative in practice: (1 < 2) < 3 is an error
print(pcall(load("return 1 < 2 < 3")))
-- unary operators stack
print(- - -1, not not not nil, ~ ~ ~0)
-- side effects evaluated left to right in a binary operation with calls
local log = {}
local function v(x) log[#log + 1] = tostring(x); return x end
local _ = v(1) + v(2) * v(3)
print(table.concat(log, " "))
log = {}
_ = v("a") .. v("b") .. v("c")
print(table.concat(log, " "))
log = {}
_ = v(false) and v(1) or v(2)
print(table.concat(log, " "))
-- constant folding must give the same results as runtime evaluation
local one, two, three = 1, 2, 3
print(1 + 2 * 3 == one + two * three, 2 ^ 3 ^ 2 == two ^ three ^ two, -2 ^ 2 == -two ^ two)
print(7 // 2 == 7 // two, 7 % -3 == 7 % -three, 1 / 0 == one / 0, -0.0 == -(0.0))
print(3 & 5 | 2 == three & 5 | two, 1 << 63 == one << 63)
