-- gc.lua - allocating short-lived one-element tables (collector, allocator).
local keep = {}
for i=1,2000000 do keep[i % 1000 + 1] = {i} end
print("done")
