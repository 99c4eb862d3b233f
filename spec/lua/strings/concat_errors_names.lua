-- Error messages for invalid concatenation name the offending variable.
local function e(f) local ok, msg = pcall(f); print(ok, msg) end
e(function() local x; return "a" .. x end)
e(function() local x = nil; return x .. "a" end)
local up = nil
e(function() return up .. "a" end)
e(function() return gvar .. "a" end)
e(function() local t = {}; return "a" .. t.name end)
e(function() local t = {}; return "a" .. t[1] end)
e(function() local t = { x = {} }; return t.x .. "" end)
e(function() return "a" .. {} end)
e(function() return {} .. "a" end)
e(function() return 1 .. nil end)
e(function() return nil .. 1 end)
e(function() return "a" .. false end)
e(function() return "a" .. function() end end)
e(function() local a, b = "x", nil; return a .. b end)
e(function() local a, b = nil, "x"; return a .. b end)
e(function() local a, b, c = "x", "y", nil; return a .. b .. c end)
e(function() local a, b, c = nil, "y", "z"; return a .. b .. c end)
-- tostring(nil) is fine, concatenation of nil is not
print("value: " .. tostring(nil))
