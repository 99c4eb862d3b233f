-- seti.lua - filling a fresh table t[i] = i (array growth).
for j=1,300 do local r = {} for i=1,10000 do r[i] = i end end
print("done")
