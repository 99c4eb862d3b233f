-- closure_up.lua - a counter factory: a closure over a fresh local, called once.
local x=0
local function counter() local n=0 return function(k) n=n+k return n end end
for i=1,2000000 do local f = counter() x = x + f(1) end
print(x)
