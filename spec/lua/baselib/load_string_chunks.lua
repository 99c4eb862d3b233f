-- load with string chunks.
local f = load("return 1 + 2")
print(type(f), f())
print(load("local a, b = ... return b, a")(1, 2))
print(load("return select('#', ...)")(nil, nil))
-- syntax errors return nil + message
print(load("return +"))
print(load("x ="))
-- runtime errors happen when the function is called
local g = load("error('runtime', 0)")
print(type(g), pcall(g))
-- loaded chunks see globals
GLOBAL_FOR_LOAD = "visible"
print(load("return GLOBAL_FOR_LOAD")())
-- and can define globals
load("NEW_GLOBAL = 123")()
print(NEW_GLOBAL)
-- but not locals of the caller
local hidden = "local"
print(load("return hidden")())
-- empty chunk
print(select("#", load("")()))
-- chunks can return functions and closures
local mk = load("local n = 0 return function() n = n + 1 return n end")()
print(mk(), mk())
-- chunks are compiled each time
local c1, c2 = load("return {}"), load("return {}")
print(c1 ~= c2, c1() ~= c1())
-- numbers are accepted as chunk strings (converted to strings)
print(load(1))
print(pcall(load))
print(pcall(load, nil))
print(pcall(load, {}))
-- binary chunks from string.dump are not required; text mode errors are checked in another file
