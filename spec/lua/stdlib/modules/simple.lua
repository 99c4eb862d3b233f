-- a module returning a table; records how it was loaded
local name, path = ...
loadcount = (loadcount or 0) + 1
return { name = name, path = path, answer = 42 }
