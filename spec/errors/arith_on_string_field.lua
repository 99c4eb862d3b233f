-- Arithmetic on a non-numeric string field names the field.
local t = { name = "x" }
return t.name + 1
