-- append.lua - appending with t[#t+1] = v (LEN, SETTABLE past the array part, rehash).
for j=1,300 do local r = {} for i=1,10000 do r[#r+1] = i end end
print("done")
