local a, b = 1, 2.5
print("hi\n\0", a + b, 1e100, -0.0 , 2^53)
local t = {1,2,x=3}
for i=1,10 do t[i] = i end
for k,v in pairs(t) do print(k,v) end
local function f(...) return ... end
t.x = a << 3
