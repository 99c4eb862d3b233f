-- Key normalisation: t[1] vs t["1"], float keys with integral value.
local t = {}
t[1] = "int"
t["1"] = "string"
print(t[1], t["1"], t[1.0])
t[1.0] = "float one"
print(t[1], t["1"])
t[2.5] = "two and a half"
print(t[2.5], t[2], t[3])
t[2^53] = "big"
print(t[2^53], t[9007199254740992])
local n = 0
for k, v in pairs(t) do n = n + 1 end
print("count", n)
-- the stored key is normalised to integer
local u = {}
u[3.0] = true
local k = next(u)
print(k, math.type(k))
-- negative zero is the same key as zero
u = {}
u[0] = "zero"
print(u[-0.0], u[0.0])
-- booleans, tables and functions as keys
local kt, kf = {}, function() end
local m = { [true] = "T", [false] = "F" }
m[kt] = "table key"
m[kf] = "function key"
print(m[true], m[false], m[kt], m[kf], m[{}])
-- strings that look like numbers stay strings
local s = {}
s["10"] = "a"
s[10] = "b"
s["0x0A"] = "c"
print(s["10"], s[10], s[0x0A], s["0x0A"])
-- float keys that are not integral stay floats
local f = {}
f[0.1 + 0.2] = "x"
print(f[0.3], f[0.1 + 0.2])
-- maxinteger + 0.0 is 2^63, not an integer key
local g = {}
g[math.maxinteger] = "max"
print(g[math.maxinteger + 0.0], g[2^63])
-- string keys with embedded zeros
local z = {}
z["a\0b"] = 1
z["a\0c"] = 2
print(z["a\0b"], z["a\0c"], z["a"])
