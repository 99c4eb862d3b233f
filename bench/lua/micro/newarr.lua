-- newarr.lua - a constructor with two array items.
for i=1,2000000 do local t = {i, i} end
print("done")
