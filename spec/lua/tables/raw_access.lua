-- rawget, rawset, rawlen, rawequal bypass metamethods.
local log = {}
local mt = {
  __index = function(t, k) return "meta:" .. tostring(k) end,
  __newindex = function(t, k, v) log[#log + 1] = tostring(k) end,
  __len = function() return 99 end,
  __eq = function() return true end,
}
local t = setmetatable({}, mt)
print(t.x, rawget(t, "x"))
t.y = 1
print(rawget(t, "y"), #log, log[1])
rawset(t, "y", 2)
print(rawget(t, "y"), t.y, #log)
print(#t, rawlen(t))
rawset(t, 1, "a"); rawset(t, 2, "b")
print(#t, rawlen(t))
local u = setmetatable({}, mt)
print(t == u, rawequal(t, u), rawequal(t, t))
print(rawequal(1, 1.0), rawequal("a", "a"), rawequal(nil, nil), rawequal(0/0, 0/0))
-- rawset returns the table
print(rawset(t, "z", 3) == t)
-- argument errors
print(pcall(rawget, "str", 1))
print(pcall(rawset, "str", 1, 2))
print(pcall(rawget, {}))
print(pcall(rawset, {}, 1))
print(pcall(rawequal, 1))
print(pcall(rawlen, nil))
