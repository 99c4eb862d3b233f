-- a package: pkg/init.lua, with a submodule pkg.sub
local M = { name = ... }
M.sub = require(... .. ".sub")
return M
