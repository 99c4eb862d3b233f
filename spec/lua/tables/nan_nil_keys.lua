-- nil and NaN keys: reading is fine, writing is an error.
local t = {}
print(t[nil], t[0/0])
print(pcall(function() t[nil] = 1 end))
print(pcall(function() t[0/0] = 1 end))
print(pcall(function() local k; t[k] = 1 end))
print(pcall(rawset, t, nil, 1))
print(pcall(rawset, t, 0/0, 1))
-- assigning nil to a nil key is still an error
print(pcall(function() t[nil] = nil end))
-- assigning nil to an absent key is fine
t.absent = nil
print(next(t))
-- rawget with nil/NaN is fine
print(rawget(t, nil), rawget(t, 0/0))
-- NaN is never equal to itself, so lookups miss
local nan = 0 / 0
print(t[nan])
print(pcall(next, {}, "nosuchkey"))
