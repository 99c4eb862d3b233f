-- Every keyword and every operator/punctuation token of Lua 5.4.

-- keywords: and break do else elseif end false for function goto if in
-- local nil not or repeat return then true until while
local function kw(x)
  local r = {}
  if x == 1 then r[#r + 1] = "one" elseif x == 2 then r[#r + 1] = "two" else r[#r + 1] = "other" end
  while true do r[#r + 1] = "while"; break end
  repeat r[#r + 1] = "repeat" until true
  for i = 1, 2 do r[#r + 1] = "for" .. i end
  for k, v in ipairs({ "a" }) do r[#r + 1] = "in" .. k .. v end
  do goto skip end
  r[#r + 1] = "not reached"
  ::skip::
  r[#r + 1] = tostring(nil) .. tostring(true) .. tostring(false)
  r[#r + 1] = tostring(not nil) .. tostring(1 and 2) .. tostring(nil or 3)
  return table.concat(r, ",")
end
print(kw(1))
print(kw(2))
print(kw(3))

-- arithmetic operators
print(7 + 2, 7 - 2, 7 * 2, 7 / 2, 7 % 2, 7 ^ 2, 7 // 2, -7)
-- length
print(#"hello", #{ 1, 2, 3 })
-- bitwise operators
print(6 & 3, 6 | 3, 6 ~ 3, ~6, 1 << 4, 256 >> 4)
-- comparison operators
print(1 == 1, 1 ~= 1, 1 <= 2, 1 >= 2, 1 < 2, 1 > 2)
-- assignment, parens, braces, brackets
local t = { [1] = "x", y = "z" }
t["w"] = (1 + 2) * 3
print(t[1], t.y, t.w)
-- label '::', semicolon ';', colon ':', comma ',', dot '.', concat '..', varargs '...'
local obj = { name = "obj" }
function obj:get(...) return self.name .. ":" .. select("#", ...) end
;;;
print(obj:get(1, 2, 3), obj.get(obj))
::lbl::
print("a" .. "b" .. 1 .. 2)

-- tokens without whitespace between them
local a,b=1,2;print(a+b,a-b,a*b,a/b,a%b,a^b,a//b,a&b,a|b,a~b,a<<b,a>>b,a==b,a~=b,a<=b,a>=b,a<b,a>b)
print(1-(-1), 1- -1, - -1, ~ ~5, not not nil)
-- '~=' vs '~' and '=': 3~=3 is comparison
print(3~=3, 3~ 3)
-- '..' vs '.' and numbers
print(1 .. 2, 1.5 .. "", .5 .. "")
-- '...' in main chunk is the script's varargs
print(select("#", ...))
-- keywords are case sensitive: And, END are names
local And, END, Nil = 1, 2, 3
print(And, END, Nil)
-- names with underscores and digits
local _x1, __, _ = 1, 2, 3
print(_x1, __, _)
