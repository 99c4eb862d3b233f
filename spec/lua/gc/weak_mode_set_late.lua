-- weak_mode_set_late.lua - a metatable the collector has already traversed without "__mode"
-- (its absence is cached in the metatable's flags) becomes weak when __mode is set later, by a
-- normal store, a rawset, or after being set to nil and back.
local mt = {}
local t = setmetatable({}, mt)
t[{}] = 1
collectgarbage()
local n = 0 for _ in pairs(t) do n = n + 1 end
print("strong", n)
mt.__mode = "k"
t[{}] = 2
collectgarbage()
print("weak keys", next(t))

local mt2 = {}
local objs = {}
for i = 1, 5 do objs[i] = setmetatable({ [{}] = i }, mt2) end
collectgarbage()
rawset(mt2, "__mode", "k")
collectgarbage()
local left = 0
for i = 1, 5 do if next(objs[i]) then left = left + 1 end end
print("rawset", left)

local mt3 = { __mode = "v" }
local w = setmetatable({}, mt3)
w[1] = {}
collectgarbage()
print("weak values", w[1])
mt3.__mode = nil
w[1] = {}
collectgarbage()
print("strong again", type(w[1]))
mt3.__mode = "v"
collectgarbage()
print("weak again", w[1])
