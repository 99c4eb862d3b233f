-- require failures: the "module not found" message with every searcher's lines, errors while
-- loading (syntax and runtime), bad package.path / package.searchers, package.searchpath.
local dir = "spec/lua/stdlib/modules/"
package.path = dir .. "?.lua;" .. dir .. "?/init.lua;./nonexistent/?.lua"
package.cpath = "./nonexistent/?.so;" .. dir .. "?.so"

print(pcall(require, "no_such_module"))
print(pcall(require, "no.such.module"))
print(pcall(require, "syntaxerr"))
print(pcall(require, "runtimeerr"))
print(package.loaded.syntaxerr, package.loaded.runtimeerr)
print(pcall(require))
print(pcall(require, {}))

-- package.searchpath
print(package.searchpath("simple", package.path))
print(package.searchpath("pkg.sub", package.path))
print(package.searchpath("pkg", package.path))
print(package.searchpath("nope", "a/?.lua;b/?/x.lua"))
print(package.searchpath("a.b", "?.x;?.y", ".", "_"))
print(package.searchpath("a.b", "?.x", ""))
print(package.searchpath("x", ""))
print(pcall(package.searchpath, "x"))

-- bad configuration
local oldpath = package.path
package.path = nil
print(pcall(require, "zz"))
package.path = 42
print(pcall(require, "zz"))
package.path = oldpath
local searchers = package.searchers
package.searchers = "not a table"
print(pcall(require, "zz"))
package.searchers = searchers

-- a loader error propagates unchanged
package.preload.boom = function() error({ code = 7 }) end
local ok, e = pcall(require, "boom")
print(ok, type(e), e.code)

-- a searcher that errors
table.insert(package.searchers, 1, function(name) error("searcher failed for " .. name) end)
print(pcall(require, "anything"))
table.remove(package.searchers, 1)
