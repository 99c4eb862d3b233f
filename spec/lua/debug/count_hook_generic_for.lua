-- count_hook_generic_for.lua - a count hook over generic for loops counts as lua5.4 does: the TFORCALL
-- entered from TFORPREP and every TFORLOOP are reached by goto in PUC, never fetched, so neither is
-- counted nor traced (native and Lua iterators, nested loops, a loop ended by break, line events).
local function count(f, ...)
  local n = 0
  debug.sethook(function() n = n + 1 end, "", 1)
  f(...)
  debug.sethook()
  return n
end
local t = { 10, 20, 30, 40, 50, 60, 70 }
local function iter(_, i) if i < 7 then return i + 1 end end
print("pairs", count(function() for _ in pairs(t) do end end))
print("ipairs", count(function() for _, v in ipairs(t) do local x = v end end))
print("lua iterator", count(function() for _ in iter, nil, 0 do end end))
print("nested", count(function() for _ in ipairs(t) do for _ in iter, nil, 4 do end end end))
print("break", count(function() for i in iter, nil, 0 do if i == 3 then break end end end))
print("gmatch", count(function() for w in ("a b c d"):gmatch("%a") do end end))
print("count 3", (function()
  local n = 0
  debug.sethook(function() n = n + 1 end, "", 3)
  for _ in pairs(t) do end
  for _ in iter, nil, 2 do end
  debug.sethook()
  return n
end)())
local lines = {}
debug.sethook(function(_, l) lines[#lines + 1] = l end, "l")
for _ in iter, nil, 4 do
  local y = 1
end
debug.sethook()
print("lines", table.concat(lines, " "))
