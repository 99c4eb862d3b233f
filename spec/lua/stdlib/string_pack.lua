-- string.pack / unpack / packsize: every option, endianness, alignment, limits and errors.
local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
local function show(...) local t = table.pack(...) for i = 1, t.n do t[i] = tostring(t[i]) end print(t.n, table.concat(t, " ")) end
local function perr(f, ...) local ok, e = pcall(f, ...) print(ok, e) end
local P, U, S = string.pack, string.unpack, string.packsize

-- integers of every size and order
print(hex(P("b", -1)), hex(P("B", 255)), hex(P("h", -2)), hex(P("H", 65535)), hex(P("i", -3)), hex(P("I", 7)))
print(hex(P("l", -1)), hex(P("L", 1)), hex(P("j", math.mininteger)), hex(P("J", -1)), hex(P("T", 258)))
print(hex(P(">i4", 1)), hex(P("<i4", 1)), hex(P("=i4", 1)), hex(P(">I3", 0x010203)), hex(P("<i3", -2)))
print(hex(P("i1i2i3i5i6i7i8", 1, 2, 3, 5, 6, 7, 8)))
print(hex(P(">i16", -2)), hex(P("<I16", 5)), hex(P("<i9", math.mininteger)), hex(P(">j", 1)))
show(U("b", "\255"), U("B", "\255"), U("h", "\254\255"), U(">H", "\1\2"), U("<i3", "\254\255\255"))
show(U("<i16", P("<i16", -7)), U(">I16", P(">I16", 12345)), U("<i9", P("<i9", math.mininteger)))
show(U("<I8", P("<I8", -1)), U("j", P("j", math.maxinteger)), U("<i2 >i2 =i2", P("<i2 >i2 =i2", 1, 2, 3)))
perr(U, "<i9", "\0\0\0\0\0\0\0\0\1")
perr(U, "<I9", "\0\0\0\0\0\0\0\128\255")
perr(U, "<i16", string.rep("\255", 8) .. string.rep("\0", 8))
show(U("<i9", string.rep("\255", 9)))

-- overflow checks
perr(P, "b", 128)
perr(P, "b", -129)
print(hex(P("b", -128)), hex(P("B", 255)))
perr(P, "B", -1)
perr(P, "B", 256)
perr(P, "h", 32768)
perr(P, "i3", 1 << 23)
perr(P, "I3", 1 << 24)
perr(P, "i", 1.5)
perr(P, "i", "x")
print(hex(P("i", "10")), hex(P("i", 3.0)))

-- floats
print(hex(P("<f", 1.5)), hex(P(">f", -2)), hex(P("<d", 1.5)), hex(P(">n", 0.1)), hex(P("d", 1/0)))
show(U("<f", P("<f", 0.1)), U(">d", P(">d", 0.1)), U("n", P("n", -0.0)), U("<f", P("<f", 1e40)))
show(U("f", P("f", 3)), math.type(U("f", P("f", 3))), U("d", P("d", 2^53 + 1)))

-- strings
print(hex(P("z", "abc")), hex(P("s", "ab")), hex(P("s1", "ab")), hex(P(">s2", "ab")), hex(P("c5", "ab")))
show(U("z", "abc\0def"), U("s1", "\3abcd"), U("c3", "abcdef"), U("c0", "x"), U("zz", "a\0b\0"))
show(U("<s4", P("<s4", string.rep("x", 300))):len())
perr(P, "s1", string.rep("x", 256))
perr(P, "z", "a\0b")
perr(P, "c2", "abc")
perr(P, "c", "abc")
perr(U, "z", "abc")
perr(U, "s1", "\5ab")
perr(U, "c4", "abc")
print(#P("c100", ""), hex(P("c0", "")))

-- alignment
print(hex(P("!4 b i", 1, 2)), hex(P("!8 b d", 1, 0)), hex(P("! b j", 1, 2)), hex(P("!2 b i", 1, 2)))
print(hex(P("b Xi b", 1, 2)), hex(P("!4 b Xh b", 1, 2)), hex(P("b x b", 1, 2)), hex(P("!4 i2 Xi4 b", 1, 2)))
perr(P, "!4 i3 Xi4 b", 1, 2)
print(S("!4 b i"), S("!8 b d"), S("b Xi"), S("!2 b Xi8"), S("i3 !4 Xi4"), S("c3 !8 Xd"))
show(U("!4 b i", P("!4 b i", 7, 9)))
perr(P, "X", 1)
perr(P, "Xc1", 1)
perr(P, "bXz", 1)
perr(P, "!3 b i", 1, 2)
perr(P, "!17", 1)
perr(P, "i0", 1)
perr(P, "i17", 1)
perr(S, "c")

-- packsize
print(S("b"), S("h"), S("i"), S("l"), S("j"), S("T"), S("f"), S("d"), S("n"), S("i7"), S("c10"), S(""), S("x"), S("  <>=!"))
print(S("b i b"), S("!b i b"), S("! b d b"), S("c3 i2"))
perr(S, "s")
perr(S, "z")
perr(S, "c2000000000 c200000000")
print(S("c2000000000"))
perr(S, "c2147483647")
perr(S, "q")
perr(S, "i")  -- valid, prints below
print(pcall(S, "c1000000000c1000000000"))

-- unpack positions
show(U("b", "\1\2\3", 2))
show(U("b", "\1\2\3", -1))
show(U("bb", "\1\2\3", 2))
show(U("", "abc"))
show(U("", "abc", 4))
perr(U, "b", "abc", 5)
perr(U, "b", "abc", 4)
perr(U, "bbbb", "abc")
show(U("b", "abc", -10))
perr(U, "b")
perr(U, nil, "x")
perr(P, "b")
perr(P)
-- many results
local t = {U(string.rep("b", 200), string.rep("\1", 200))}
print(#t, t[1], t[200], t[201])
-- format strings end at an embedded zero
print(hex(P("b\0b", 1, 2)), S("i\0i"))
-- round trips
local fmt = "<i1 I2 i4 I8 f d n j s1 z c3"
local packed = P(fmt, -1, 65535, -2^31, 2^53, 0.5, math.pi, -1e300, math.mininteger, "hi", "zs", "abc")
print(#packed, hex(packed))
show(U(fmt, packed))
