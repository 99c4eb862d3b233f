local a = 1
goto skip
a = 2
::skip::
do
  goto inner
  local x = 1
  ::inner::
end
for i = 1, 10 do
  for j = 1, 10 do
    if j == 5 then goto continue end
    if i == j then goto out end
    f(i, j)
    ::continue::
  end
end
::out::
do
  local k = 1
  ::top::
  k = k + 1
  local function g() return k end
  if k < 10 then goto top end
end
while a do
  if a then break end
  goto e
  ::e::
end
repeat
  local r = 1
  if r then goto cont end
  ::cont::
until a
do goto l1; ::l1:: ; ; end
