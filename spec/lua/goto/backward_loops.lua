-- Backward goto loops.
local n = 0
::again::
n = n + 1
if n < 5 then goto again end
print(n)
-- factorial with goto
local function fact(k)
  local r = 1
  ::top::
  if k > 1 then r = r * k; k = k - 1; goto top end
  return r
end
print(fact(10))
-- nested backward gotos
local out = {}
local x = 0
::outer::
x = x + 1
local y = 0
::inner::
y = y + 1
out[#out + 1] = x .. y
if y < 2 then goto inner end
if x < 3 then goto outer end
print(table.concat(out, " "))
-- backward goto creates a fresh local each time
local fs, c = {}, 0
::loop::
do
  local v = c
  fs[#fs + 1] = function() return v end
end
c = c + 1
if c < 3 then goto loop end
print(fs[1](), fs[2](), fs[3]())
-- goto in a function used many times
local function countTo(limit)
  local k = 0
  ::l::
  k = k + 1
  if k < limit then goto l end
  return k
end
print(countTo(100000))
