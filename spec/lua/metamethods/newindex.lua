-- __newindex as table and as function.
local store = {}
local proxy = setmetatable({}, { __newindex = store })
proxy.a = 1
print(rawget(proxy, "a"), store.a)
-- existing fields are assigned directly
local existing = setmetatable({ a = 1 }, { __newindex = function() error("should not be called") end })
existing.a = 2
print(existing.a)
-- __newindex function
local log = {}
local logged = setmetatable({}, { __newindex = function(t, k, v)
  log[#log + 1] = tostring(k) .. "=" .. tostring(v)
  rawset(t, k, v)
end })
logged.x = 10
logged.x = 20
logged[1] = "one"
print(table.concat(log, " "), logged.x, logged[1])
-- read-only table
local ro = setmetatable({}, { __index = { k = "v" }, __newindex = function(t, k) error("read-only: " .. k, 2) end })
print(ro.k, pcall(function() ro.z = 1 end))
-- __newindex table chain: assignment goes to the last table in the chain with no __newindex
local inner = {}
local middle = setmetatable({}, { __newindex = inner })
local outer = setmetatable({}, { __newindex = middle })
outer.deep = "value"
print(rawget(outer, "deep"), rawget(middle, "deep"), inner.deep)
-- __newindex table with its own existing key
local target = { present = "old" }
local p2 = setmetatable({}, { __newindex = target })
p2.present = "new"
print(target.present, rawget(p2, "present"))
-- assigning nil through __newindex
local p3 = setmetatable({}, { __newindex = function(t, k, v) print("newindex", k, v) end })
p3.gone = nil
-- __newindex is not consulted by rawset
rawset(p3, "raw", true)
print(p3.raw)
-- nil and NaN keys reach __newindex function without error
local p4 = setmetatable({}, { __newindex = function(t, k, v) print("got key", k, v) end })
p4[nil] = 1
p4[0/0 ~= 0/0] = 2
-- __newindex with a non-table value errors when indexing that value
local p5 = setmetatable({}, { __newindex = 5 })
print(pcall(function() p5.x = 1 end))
