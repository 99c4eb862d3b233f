-- helper_module.lua - a module for require.lua (in skip.json: not a test by itself).
local M = { name = ..., loads = (helper_loads or 0) + 1 }
helper_loads = M.loads
function M.double (x) return 2 * x end
return M
