-- loadfile and dofile: chunk names "@file", '#' first lines skipped with line numbers kept, modes,
-- the env argument, missing files, syntax errors, results and errors passing through dofile.
local dir = "spec/lua/stdlib/modules/"

local f = assert(loadfile(dir .. "returns.lua"))
print(f("a", "b"))
print(dofile(dir .. "returns.lua"))
print(select("#", dofile(dir .. "returns.lua")))

print(loadfile(dir .. "shebang.lua")("x"))
print(pcall(loadfile(dir .. "shebang.lua"), "fail"))
print(pcall(dofile, dir .. "runtimeerr.lua"))

print(loadfile(dir .. "syntaxerr.lua"))
print(pcall(dofile, dir .. "syntaxerr.lua"))
print(loadfile("spec/no/such/file.lua"))
print(pcall(dofile, "spec/no/such/file.lua"))
print(loadfile("spec/lua"))

-- modes
print(loadfile(dir .. "returns.lua", "b"))
print(loadfile(dir .. "returns.lua", "t") ~= nil)
print(loadfile(dir .. "returns.lua", "bt") ~= nil)

-- env: the chunk's _ENV
local env = { print = function(...) print("env print:", ...) end }
local g = loadfile(dir .. "simple.lua", "t", env)
local r = g("envmod")
print(r.name, env.loadcount, loadcount)
local h = loadfile(dir .. "noreturn.lua", "t", nil)
print(pcall(h))

-- debug info sees the file name
local fn = loadfile(dir .. "returns.lua")
print(debug.getinfo(fn, "S").source, debug.getinfo(fn, "S").short_src)

print(pcall(loadfile, {}))
print(pcall(dofile, {}))
