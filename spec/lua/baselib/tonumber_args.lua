-- tonumber: all argument forms.
print(tonumber(5), tonumber(5.5), tonumber("5"), tonumber("5.5"), tonumber(" 0x10 "))
print(tonumber("1e1"), tonumber("0x1p1"), tonumber("  -7  "), tonumber("- 7"))
print(tonumber(""), tonumber("x"), tonumber("5x"), tonumber("0x"), tonumber("1e"))
print(tonumber(nil), tonumber(false), tonumber({}), tonumber(print))
print(tonumber("inf"), tonumber("-inf"), tonumber("nan"), tonumber("infinity"))
print(tonumber("9223372036854775807"), tonumber("9223372036854775808"), tonumber("-9223372036854775808"))
print(tonumber("1" .. string.rep("0", 30)))
print(tonumber("0x7FFFFFFFFFFFFFFF"), tonumber("0x8000000000000000"))
-- with base: only strings; letters are case-insensitive digits
print(tonumber("ff", 16), tonumber("FF", 16), tonumber("fF", 16), tonumber("g", 16), tonumber("G", 17))
print(tonumber("1010", 2), tonumber("12", 2), tonumber("777", 8), tonumber("999", 9))
print(tonumber("z", 36), tonumber("Z", 36), tonumber("10", 36), tonumber("-z", 36))
print(tonumber("  11  ", 3), tonumber("1 1", 3), tonumber("1.1", 3), tonumber("0x11", 16))
print(tonumber("", 10), tonumber(" ", 10), tonumber("-", 10), tonumber("+", 10))
print(tonumber("10", 10.0))
-- base argument errors
print(pcall(tonumber, "1", 0))
print(pcall(tonumber, "1", 1))
print(pcall(tonumber, "1", 37))
print(pcall(tonumber, "1", "x"))
print(pcall(tonumber, 1, 10))
print(pcall(tonumber))
-- numeric strings with trailing/leading whitespace characters
print(tonumber("\n5\n"), tonumber("\t0x1F\t"), tonumber("5\0"))
-- tonumber result types
print(math.type(tonumber("1")), math.type(tonumber("1.")), math.type(tonumber("0x1")), math.type(tonumber("1", 10)))
