local s = "\a\b\f\n\r\t\v\\\"\'"
local h = "\x41\x7a\xff\x00"
local d = "\0\65\066\255 \1234"
local u = "\u{0}\u{41}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}\u{7FFFFFFF}"
local z = "a\z
           b\z   c"
local n = "line1\
line2"
local l1 = [[
first newline skipped]]
local l2 = [==[
a]]b]=]c]==]
local l3 = [[a
b
c]]
local crlf = "x"
--[==[ long
comment ]==] local after = 1
-- short comment
--[ not long
return s, h, d, u, z, n, l1, l2, l3, crlf, after
