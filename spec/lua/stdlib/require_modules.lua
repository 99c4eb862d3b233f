-- require: package.path search, package.loaded caching, the two results, packages and
-- submodules, package.preload, modules that return nothing or set package.loaded themselves.
local dir = "spec/lua/stdlib/modules/"
package.path = dir .. "?.lua;" .. dir .. "?/init.lua"
package.cpath = ""

local m, where = require("simple")
print(m.name, m.path, m.answer, where)
print(require("simple") == m, select("#", require("simple")), loadcount)
print(package.loaded.simple == m)

-- reloading after clearing package.loaded runs the file again
package.loaded.simple = nil
local m2 = require("simple")
print(m2 ~= m, loadcount)

print(require("noreturn"), noreturn_ran, package.loaded.noreturn)
print(require("setsloaded"))

local pkg, pfile = require("pkg")
print(pkg.name, pfile, pkg.sub.name, pkg.sub.file)
print(package.loaded["pkg.sub"] == pkg.sub)

local a = require("circular_a")
print(a.b.saw_a, package.loaded.circular_a == a)

-- preload wins over files
package.preload.simple2 = function(...) print("preload loader", ...) return { from = "preload" } end
print(require("simple2").from)
package.preload.simple = function() return "never" end
print(require("simple") == m2)

-- standard libraries are in package.loaded
print(require("string") == string, require("table") == table, require("_G") == _G)
print(package.loaded.package == package, require("package") == package)

-- a name used as a number is converted
package.preload["12"] = function(n) return "module " .. n end
print(require(12))

-- package.config and the searchers table
print((package.config:gsub("\n", "|")))
print(#package.searchers, type(package.searchers[1]), type(package.searchpath), type(package.loadlib))
print(package.path:find("?", 1, true) ~= nil, type(package.cpath))

-- a custom searcher: returns a loader and extra data
table.insert(package.searchers, 2, function(name)
  if name:sub(1, 7) == "custom." then
    return function(n, extra) return { n = n, extra = extra } end, "extra:" .. name
  end
  return "\n\tcustom searcher does not know '" .. name .. "'"
end)
local c, cx = require("custom.thing")
print(c.n, c.extra, cx)
print(select(2, pcall(require, "unknown_module")))
table.remove(package.searchers, 2)
