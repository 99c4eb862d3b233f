local a, b = 1
local c, d = f()
local e, g = f(), 1, 2
local h = ...
a, b = b, a
a, b, c = f()
a.x, a.y = 1, 2
a[b], b = b, 1
local t = {}
t[a], a = 1, 2
t.x, t = 1, nil
if a then b = 1 end
if a then b = 1 else b = 2 end
if a then b = 1 elseif c then b = 2 elseif d then b = 3 else b = 4 end
if a and b then c = 1 end
if a or b then c = 1 end
if not a then c = 1 end
if a == 1 then c = 1 end
while a do a = a - 1 end
while a > 0 and b do a = a - 1 if a == 5 then break end end
repeat a = a + 1 until a > 10
repeat local z = a; a = a + 1 until z > 10
repeat local z = a; local function q() return z end until z > 10
for i = 1, 10 do f(i) end
for i = 10, 1, -1 do f(i) end
for i = 1.0, 2, 0.5 do f(i) end
for i = a, b, c do f(i) end
for k, v in pairs(t) do f(k, v) end
for k in next, t do f(k) end
for a1, a2, a3, a4, a5 in f() do f(a1, a5) end
do local z = 1; f(z) end
do local z = 1; f(function() return z end) end
for i = 1, 3 do local q = i; f(function() return q end) end
while true do local q = 1; f(function() return q end); if q then break end end
return a, b
