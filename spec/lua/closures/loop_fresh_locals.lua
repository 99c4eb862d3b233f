-- Each loop iteration creates a fresh local; closures capture per-iteration values.
local fs = {}
for i = 1, 3 do fs[i] = function() return i end end
print(fs[1](), fs[2](), fs[3]())
-- closures in a generic for
local gs = {}
for k, v in ipairs({ "a", "b", "c" }) do gs[k] = function() return k .. v end end
print(gs[1](), gs[2](), gs[3]())
-- locals declared inside a while loop body are fresh each iteration
local ws = {}
local j = 0
while j < 3 do
  j = j + 1
  local captured = j * 10
  ws[j] = function() captured = captured + 1; return captured end
end
print(ws[1](), ws[1](), ws[2](), ws[3]())
-- repeat ... until can see body locals in the condition
local rs, r = {}, 0
repeat
  r = r + 1
  local mine = r
  rs[r] = function() return mine end
until mine >= 3
print(rs[1](), rs[2](), rs[3]())
-- a variable declared outside the loop is shared by all closures
local shared = 0
local ss = {}
for i = 1, 3 do shared = shared + 1; ss[i] = function() return shared end end
print(ss[1](), ss[2](), ss[3]())
-- closures over the loop variable can modify their own copy
local ms = {}
for i = 1, 2 do
  ms[i] = { get = function() return i end, set = function(v) i = v end }
end
ms[1].set(100)
print(ms[1].get(), ms[2].get())
-- break after capturing closes the upvalue
local bs
for i = 1, 10 do
  local x = i * i
  bs = function() return x end
  if i == 4 then break end
end
print(bs())
-- goto based loop also gets fresh locals
local gl, n = {}, 0
::top::
do
  n = n + 1
  local v = n
  gl[n] = function() return v end
  if n < 3 then goto top end
end
print(gl[1](), gl[2](), gl[3]())
