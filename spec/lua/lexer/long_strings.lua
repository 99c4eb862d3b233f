-- Long brackets of several levels; first newline is skipped; no escapes processed.
local s0 = [[hello]]
print(s0, #s0)
local s1 = [[
first line skipped]]
print(s1, #s1)
local s2 = [==[contains ]] and ]=] inside]==]
print(s2, #s2)
local s3 = [=[
]]=]
print(s3, #s3)
local s4 = [[no \n escapes \t here]]
print(s4, #s4)
local s5 = [[

two newlines, only first skipped]]
print(#s5, s5:byte(1))
local s6 = [====[level four [[ [=[ [==[ [===[ ]===] ]==] ]=] ]] ]====]
print(s6)
local s7 = [[]]
print(#s7)
local s8 = [==[]==]
print(#s8)
-- multi-line content
local s9 = [[
a
b
c]]
print(#s9, s9)

-- long strings through load: \r\n, \n\r, \r sequences are normalised to \n
local f = load("return [[\r\nx\r\ny\n\rz\rw]]")
local r = f()
print(#r)
for i = 1, #r do io.write(r:byte(i), " ") end
print()

-- a long string may be used as function argument directly
local function id(x) return x end
print(id[[call with long string]])
print(id[==[level2]==])

-- unfinished long strings
print(load("return [[abc"))
print(load("return [==[abc]=]"))
print(load("return [=[abc\n\ndef", "=long"))
-- invalid long string delimiter
print(load("return [=abc]=]"))
print(load("return [==x"))
