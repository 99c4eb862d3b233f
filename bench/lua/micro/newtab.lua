-- newtab.lua - an empty constructor.
for i=1,3000000 do local t = {} end
print("done")
