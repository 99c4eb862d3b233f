-- table.sort without a comparator on a plain table of numbers or of strings sorts the array part in
-- place (lib/table.ts); it must keep lua5.4's exact algorithm: the same order of equal elements, the
-- same result with NaNs, the same errors, and fall back whenever Lua code could run or see the table.
local x = 7
local function rnd() x = (x * 1103515245 + 12345) % 2147483648 return x end
local function show(t, n)
  local o = {}
  for i = 1, n or #t do
    local v = t[i]
    o[i] = type(v) == "number" and (math.type(v) == "integer" and ("%d"):format(v) or
      (v ~= v and "nan" or ("%.17g"):format(v) .. (1 / v < 0 and "f-" or "f"))) or ("%q"):format(v)
  end
  return table.concat(o, " ")
end

-- equal elements of both kinds: where each 1 and 1.0 ends up is the algorithm's doing
for _, n in ipairs{2, 3, 4, 7, 30, 99} do
  local t = {}
  for i = 1, n do local r = rnd() % 4 t[i] = (r % 2 == 0) and r // 2 or (r // 2) + 0.0 end
  table.sort(t)
  print(n, show(t))
end
-- zeros of both signs, huge integers against floats
local t = {0.0, -0.0, 0, -0.0, 0.0, 0, math.maxinteger, math.mininteger, 2^63, -2^63, 2^53, 2^53 + 1,
  math.maxinteger + 0.0, 1e308, -1e308, 1/0, -1/0, 3, 2.5, -7}
table.sort(t)
print(show(t))
-- NaNs: no error here, but the order they leave is exactly the algorithm's
for _, n in ipairs{3, 5, 10, 40} do
  local t = {}
  for i = 1, n do local r = rnd() % 10 t[i] = r == 0 and 0/0 or r end
  print(n, pcall(table.sort, t))
  print(show(t))
end
local t = {0/0, 1, 0/0, 2, 0/0}
print(pcall(table.sort, t)) print(show(t))
-- strings: prefixes, embedded zeros, bytes above 127
local s = {"b", "a\0b", "a", "a\0", "", "\255", "ab", "a\0a", "B", "ba", "\0", "a"}
table.sort(s)
print(show(s))
for _, n in ipairs{50, 300} do
  local t = {}
  for i = 1, n do t[i] = tostring(rnd() % 97) end
  table.sort(t)
  print(n, t[1], t[n // 2], t[n], show(t, 12))
end
-- larger arrays (pivot in the middle half)
local big = {}
for i = 1, 5000 do big[i] = rnd() % 1000 end
table.sort(big)
local ok = true
for i = 2, #big do if big[i - 1] > big[i] then ok = false end end
print(ok, big[1], big[2500], big[5000])
-- the general path: mixed kinds, metatables, elements outside the array part, a nil comparator
print(pcall(table.sort, {3, "2", 1}))
print(pcall(table.sort, {"a", 1}))
print(pcall(table.sort, {1, 2, {}}))
local h = {} h[3] = 1 h[2] = 3 h[1] = 2
table.sort(h) print(show(h))
local proxy = setmetatable({}, {__index = function (_, k) return ({5, 4, 6})[k] end,
  __len = function () return 3 end, __newindex = function (t, k, v) rawset(t, k, v) end})
table.sort(proxy) print(rawget(proxy, 1), rawget(proxy, 2), rawget(proxy, 3))
local m = setmetatable({3, 1, 2}, {__index = function () return 0 end})
table.sort(m, nil) print(show(m))
local lt = {__lt = function (a, b) return a.v < b.v end}
local o = {}
for i = 1, 10 do o[i] = setmetatable({v = (i * 7) % 10}, lt) end
table.sort(o)
local r = {} for i = 1, 10 do r[i] = o[i].v end print(table.concat(r, " "))
-- the sort leaves the table usable and its length right
local u = {5, 4, 3, 2, 1, nil, 7}
print(pcall(table.sort, u, nil))
local w = {"x", "y"} table.sort(w) w[3] = "z" print(#w, table.concat(w))
