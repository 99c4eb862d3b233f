-- newtab2.lua - a constructor with two string-keyed fields.
for i=1,2000000 do local t = {x=i, y=i} end
print("done")
