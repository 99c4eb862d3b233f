-- A metamethod that recurses until the C stack limit: the error and its traceback as lua5.4
local mt = {}
mt.__lt = function(a, b) return 1 < b end
local a = setmetatable({}, mt)
local x = a < a
