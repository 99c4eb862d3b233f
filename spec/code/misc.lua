local t, i, f = {}, 1, 1.5
t[#t + 1] = i
t.a.b.c = f
t[i], t[i + 1] = t[i + 1], t[i]
local x = i == 1.5, 1.5 == i, i ~= "a", "a" == i, i == -1, i == 200, i == 2^53
x = i < -128, i < -129, i <= 127, i <= 128, i > 1.0, i >= 2.5, -1 < i, 1.0 <= i
x = i .. "a" .. f() .. i
x = t[i][i][i], t.x.y, t["x"].y
x = t:m():n():o()
x = ("s"):rep(3), ("s").len
x = - - i, not not not i, ~ ~ i, - -1, - - 1.5
local function fact(n) if n <= 1 then return 1 else return n * fact(n - 1) end end
local y <const> = 3
x = t[y], t[y + 1], y + i, i + y
local big = "a string constant that is definitely longer than forty chars"
t[big] = big
t.long_field_name_that_is_longer_than_forty_characters_x = 1
x = i // 0, i % 0, i / 0, 1 // i, 2.0 ^ i
x = i and nil, i or nil, nil and i, false or i
while i < 10 and (t[i] or f) do i = i + 1 end
if i then elseif f then else end
return x, fact(5)
