-- Table constructors: positional, named, [expr]=, separators, nesting, varargs.
local function show(t, n)
  local r = {}
  for i = 1, n do r[#r + 1] = tostring(t[i]) end
  return table.concat(r, ",")
end
local t1 = { 10, 20, 30 }
print(#t1, show(t1, 3))
local t2 = { x = 1, y = 2, ["z w"] = 3 }
print(t2.x, t2.y, t2["z w"])
local k = "key"
local t3 = { [k] = "v", [1 + 1] = "two", [k .. "2"] = "v2", [true] = "yes" }
print(t3.key, t3[2], t3.key2, t3[true])
-- trailing separators, mixed , and ;
local t4 = { 1, 2, 3, }
local t5 = { 1; 2; 3; }
local t6 = { a = 1; 2, b = 3, 4; }
print(#t4, #t5, #t6, t6.a, t6.b, t6[1], t6[2])
-- empty
local t7 = {}
print(#t7, next(t7))
-- nested
local t8 = { { 1, 2 }, { x = { y = { z = "deep" } } }, { {} } }
print(t8[1][2], t8[2].x.y.z, #t8[3], #t8[3][1])
-- positional fields override explicit [n] = entries regardless of order
local t9 = { [1] = "explicit", "positional" }
print(t9[1])
local t10 = { "positional", [1] = "explicit" }
print(t10[1])
-- varargs / calls expand only in the last position
local function three() return 1, 2, 3 end
local t11 = { three() }
local t12 = { three(), three() }
local t13 = { three(), 10 }
local t14 = { (three()) }
print(#t11, show(t11, 3))
print(#t12, show(t12, 4))
print(#t13, show(t13, 2))
print(#t14, show(t14, 1))
local function pack(...) return { ... } end
local t15 = pack(1, nil, 3)
print(t15[1], t15[2], t15[3])
local t16 = pack()
print(#t16)
local function mid(...) return { ..., "end" } end
local t17 = mid("a", "b", "c")
print(#t17, show(t17, 2))
-- expression keys evaluated in order
local order = {}
local function f(x) order[#order + 1] = x; return x end
local t18 = { [f("a")] = f(1), [f("b")] = f(2), f(3) }
print(table.concat(order, " "), t18.a, t18.b, t18[1])
-- nil values in constructor
local t19 = { nil, nil, 3 }
print(t19[1], t19[2], t19[3])
local t20 = { x = nil }
print(next(t20))
-- constructors with many elements
local big = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
  21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60 }
print(#big, big[1], big[50], big[60])
local src = "return {" .. string.rep("1,", 1000) .. "}"
print(#load(src)())
-- key errors in constructors
print(pcall(function() return { [nil] = 1 } end))
print(pcall(function() return { [0/0] = 1 } end))
