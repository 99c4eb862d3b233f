-- Escape sequences in quoted strings; printed as byte codes.
local function bytes(s)
  local r = {}
  for i = 1, #s do r[#r + 1] = tostring(s:byte(i)) end
  return #s .. ": " .. table.concat(r, " ")
end
print(bytes("\a\b\f\n\r\t\v"))
print(bytes("\\\"\'"))
print(bytes('\\\"\''))
print(bytes("\x41\x62\x7A\x00\xff\xFF"))
print(bytes("\65\066\0677\0\255\1\12\123"))
print(bytes("\u{41}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"))
print(bytes("\u{0}\u{7F}\u{80}\u{0000041}"))
print(bytes("\u{7FFFFFFF}"))
print(bytes("\u{110000}"))
print(bytes("a\z
             b"))
print(bytes("a\z   c"))
print(bytes("a\
b"))
print(bytes("x\z"))
print(bytes('single "quotes" inside'))
print(bytes("double 'quotes' inside"))
-- backslash-newline variants via load
print(bytes(load("return 'a\\\r\nb'")()))
print(bytes(load("return 'a\\\n\rb'")()))
print(bytes(load("return 'a\\\rb'")()))
-- \z skips newlines too
print(bytes(load("return 'a\\z \n \n  b'")()))
-- decimal escapes take at most 3 digits
print(bytes("\1234"))
print(bytes("\0001"))
-- escape errors
print(load([[return "\q"]]))
print(load([[return "\x4"]]))
print(load([[return "\xZZ"]]))
print(load([[return "\256"]]))
print(load([[return "\999"]]))
print(load([[return "\u{}"]]))
print(load([[return "\u41"]]))
print(load([[return "\u{41"]]))
print(load([[return "\u{80000000}"]]))
print(load([[return "\u{XYZ}"]]))
print(load("return 'abc\ndef'"))
print(load("return 'abc"))
print(load("return \"abc\\"))
