-- After a memory error the state keeps working: other errors keep their messages and positions.
print(pcall(string.rep, "x", 2^31 - 1))
print(pcall(error, "boom"))
print(pcall(function() local x = nil; return x.y end))
print(select("#", pcall(string.rep, "x", 2^31 - 1)))
local ok, e = xpcall(string.rep, function(m) return "handled: " .. m end, "x", 2^31 - 1)
print(ok, e)
