-- require.lua - the runner's environment: _port/_soft are set as all.lua sets them, and require,
-- dofile and loadfile reach the files of this directory (cwd = the test directory).
assert(_port == true and _soft == true, "_port and _soft must be set before each file")

local m = require "helper_module"
assert(m.name == "helper_module" and m.double(21) == 42)
assert(require("helper_module") == m and helper_loads == 1, "require caches modules")
assert(package.loaded.helper_module == m)

package.preload.virtual = function (name, extra) return { name = name, extra = extra } end
local v, extra = require "virtual"
assert(v.name == "virtual" and extra == ":preload:" and v.extra == ":preload:")

local ok, err = pcall(require, "no_such_module")
assert(not ok and string.find(err, "module 'no_such_module' not found", 1, true))

local f = assert(loadfile("helper_module.lua"))
assert(type(f) == "function")
local fresh = dofile("helper_module.lua")
assert(fresh ~= m and helper_loads == 2, "dofile runs the file again")

return true
