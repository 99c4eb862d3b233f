-- next and ipairs' iterator take their common cases inline (lib/base.ts); arguments of other kinds and
-- counts still behave and fail as in lua5.4.
local t = {10, 20, x = 1}
print(next(t), next(t, 1), next(t, nil), select("#", next({})), next({}, nil, 5))
print(pcall(next, t, "nokey"), pcall(next, 1), pcall(next))
local f = ipairs({})
print(f({1, 2}, 0), f({1, 2}, "1"), f({1, 2}, 2), pcall(f, {1}, "x"), pcall(f, {1}, 1.5))
local p = setmetatable({}, {__index = function (_, i) if i < 4 then return i * 10 end end})
for i, v in ipairs(p) do io.write(i, "=", v, " ") end print()
for k, v in next, {5, 6} do io.write(k, v, " ") end print()
