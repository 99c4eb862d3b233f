-- load chunk names, mode argument and env parameter.
-- chunk names in error messages
print(type(load("error('e1')", "=plain name")))
print(pcall(load("error('e1')", "=plain name")))
print(pcall(load("error('e2')", "@file.lua")))
print(pcall(load("error('e3')", "no prefix")))
print(pcall(load("error('e4')")))
print(pcall(load("\n\nerror('line 3')", "=lines")))
print(pcall(load("local x = nil; return x.y", "=idx")))
print(load("x = ", "=syntax"))
print(load("x = ", "[string \"fake\"]"))
-- long source strings are shortened in [string "..."]
print(pcall(load("error('long') -- " .. string.rep("x", 80))))
print(pcall(load("-- first line\nerror('multiline')")))
-- mode
print(load("return 1", "m", "t") ~= nil)
print(load("return 1", "m", "bt") ~= nil)
print(load("return 1", "m", "b"))
print(load("\27Lua", "m", "t"))
print(pcall(load, "return 1", "m", "x"))
-- env parameter
local env = { value = "from env" }
print(load("return value", "env", "t", env)())
local f = load("newvar = 5; return newvar", "env", "t", env)
print(f(), env.newvar, newvar)
print(pcall(load("return print", "noenv", "t", {})))
print(pcall(load("print('x')", "noenv", "t", {})))
-- env can be nil explicitly: globals are not accessible at all
print(pcall(load("return x", "nilenv", "t", nil)))
-- _ENV inside the chunk is the env table
local env2 = {}
load("_ENV.a = 1; b = 2", "e2", "t", env2)()
print(env2.a, env2.b)
-- env with __index falling back to _G
local sandbox = setmetatable({}, { __index = _G })
load("sandboxed = tostring(42)", "sb", "t", sandbox)()
print(sandbox.sandboxed, rawget(_G, "sandboxed"))
