-- An __index chain through tables that loops back on itself stops after MAXTAGLOOP steps.
local t = setmetatable({}, {})
getmetatable(t).__index = t
return t.x
