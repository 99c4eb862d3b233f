-- pairs honours __pairs; ipairs stops at nil; next is raw.
local proxy = setmetatable({}, { __pairs = function(t)
  local i = 0
  return function(_, k)
    i = i + 1
    if i <= 3 then return i, "v" .. i end
  end, t, nil
end })
for k, v in pairs(proxy) do io.write(k, "=", v, " ") end
print()
-- __pairs returns up to three values used by the for loop
local seenState, seenInit
local p2 = setmetatable({}, { __pairs = function(t)
  return function(s, c)
    seenState, seenInit = s, c
    return nil
  end, "STATE", "INIT"
end })
for _ in pairs(p2) do end
print(seenState, seenInit)
-- next ignores __pairs and __index
print(next(proxy))
-- ipairs stops at the first nil, even if later entries exist
local t = { 1, 2, nil, 4 }
local out = {}
for i, v in ipairs(t) do out[#out + 1] = i .. ":" .. v end
print(table.concat(out, " "))
-- ipairs uses __index (not raw access)
local virt = setmetatable({}, { __index = function(_, i) if i <= 4 then return i * i end end })
out = {}
for i, v in ipairs(virt) do out[#out + 1] = i .. ":" .. v end
print(table.concat(out, " "))
-- ipairs on a table whose __index is a table
local backed = setmetatable({ "a" }, { __index = { nil, "b", "c" } })
out = {}
for i, v in ipairs(backed) do out[#out + 1] = v end
print(table.concat(out, ","))
-- pairs without __pairs visits all entries (sorted here: order is unspecified)
out = {}
for k, v in pairs({ "z", "y", "x" }) do out[#out + 1] = v .. k end
table.sort(out)
print(table.concat(out, " "))
-- pairs accepts any value; errors only appear when next is called
local ok, iter, st = pcall(pairs, 5)
print(ok, iter == next, st)
local pn = setmetatable({}, { __pairs = function() return next, { z = 26 }, nil end })
for k, v in pairs(pn) do print(k, v) end
-- collect and sort hash keys for deterministic output
local h = { b = 2, a = 1, c = 3, [10] = "ten" }
local ks = {}
for k in pairs(h) do ks[#ks + 1] = tostring(k) end
table.sort(ks)
print(table.concat(ks, " "))
