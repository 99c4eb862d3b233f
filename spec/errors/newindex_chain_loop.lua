-- A __newindex chain through tables that loops back on itself stops after MAXTAGLOOP steps.
local t = setmetatable({}, {})
getmetatable(t).__newindex = t
t.x = 1
