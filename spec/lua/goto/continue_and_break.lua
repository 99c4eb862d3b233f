-- goto used as 'continue' and to break out of nested loops.
for i = 1, 10 do
  if i % 2 == 0 then goto continue end
  io.write(i, " ")
  ::continue::
end
print()
-- continue in while loop
local i = 0
while i < 10 do
  i = i + 1
  if i % 3 ~= 0 then goto cont end
  io.write(i, " ")
  ::cont::
end
print()
-- continue in repeat loop: label before 'until' (block end)
local j = 0
repeat
  j = j + 1
  if j == 2 then goto skip end
  io.write(j, " ")
  ::skip::
until j >= 4
print()
-- breaking out of nested loops
for a = 1, 5 do
  for b = 1, 5 do
    if a * b == 6 then
      print("found", a, b)
      goto done
    end
  end
end
::done::
-- goto out of deeply nested blocks
do
  do
    do
      goto out
    end
  end
end
::out::
print("escaped nested blocks")
-- continue in generic for with closures capturing the loop variable
local fs = {}
for _, v in ipairs({ 1, 2, 3, 4 }) do
  if v == 3 then goto next end
  fs[#fs + 1] = function() return v end
  ::next::
end
for _, f in ipairs(fs) do io.write(f(), " ") end
print()
-- same label name in different functions and sibling blocks
do goto l ::l:: end
do goto l ::l:: end
local function g() goto l; do return "wrong" end ::l:: return "right" end
print(g())
