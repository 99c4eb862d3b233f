-- The table library honours __index, __newindex and __len (lua_geti/lua_seti/luaL_len).
local log = {}
local store = {10, 20, 30}
local proxy = setmetatable({}, {
  __index = function(_, k) log[#log + 1] = "get" .. k return store[k] end,
  __newindex = function(_, k, v) log[#log + 1] = "set" .. k store[k] = v end,
  __len = function() return #store end,
})
print(table.concat(proxy, ","))
print(table.unpack(proxy))
table.insert(proxy, 40)
print(#store, store[4])
table.insert(proxy, 1, 5)
print(table.concat(store, ","))
print(table.remove(proxy, 2), table.concat(store, ","))
table.sort(proxy, function(a, b) return a > b end)
print(table.concat(store, ","))
print(#log > 0)
local dst = table.move(proxy, 1, 2, 1, {})
print(dst[1], dst[2])
-- __len returning a non-integer
local weird = setmetatable({}, {__len = function() return "x" end})
print(pcall(table.concat, weird))
print(pcall(table.unpack, setmetatable({}, {__len = function() return 2.5 end})))
print(table.unpack(setmetatable({}, {__len = function() return "2" end, __index = function(_, k) return k * 10 end})))
-- a userdata-like non-table with the needed metamethods is accepted; one without is rejected
local s = setmetatable({}, {__index = function(_, k) return k end})
print(table.concat(s, ",", 1, 3))
print(pcall(table.insert, "abc", 1))
-- __index only for missing keys
local base = {1, nil, 3}
local t = setmetatable(base, {__index = function(_, k) return "d" .. k end})
print(table.concat(t, ",", 1, 3))
-- __newindex only for missing keys
local seen = {}
local w = setmetatable({}, {__newindex = function(t, k, v) seen[#seen + 1] = k rawset(t, k, v) end})
table.insert(w, "a") table.insert(w, "b") table.insert(w, 1, "c")
print(table.concat(w, ","), table.concat(seen, ","))
local p2 = table.pack(1, 2)
print(getmetatable(p2))
