-- setfield.lua - assigning a present string field (SETFIELD).
local o = {a=1,b=2,c=3}
for i=1,10000000 do o.b = i end
print("done")
