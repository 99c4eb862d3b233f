-- print separates arguments with tabs and ends with a newline; type names.
print()
print(nil)
print(nil, nil)
print(true, false)
print(1, 1.0, -1, -0.0, 1e100, 2^63)
print("a", "b", "", "c")
print("embedded\ttab", "x")
print(1, nil, 3)
print(("x"):rep(3), #"abc")
io.write("io.write ", 1, " ", 2.5, "\n")
-- print uses tostring, including __tostring
print(setmetatable({}, { __tostring = function() return "custom!" end }))
print(pcall(print, setmetatable({}, { __tostring = function() return {} end })))
-- type
print(type(nil), type(true), type(0), type(0.5), type(""), type({}), type(print), type(type))
print(type(function() end), type(setmetatable({}, {})), type(type(nil)))
print(pcall(type))
-- print returns nothing
print(select("#", print("side effect")))
-- many arguments
print(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20)
-- strings with embedded zeros are printed whole
print(#"a\0b", "a\0b" == "a\0b")
