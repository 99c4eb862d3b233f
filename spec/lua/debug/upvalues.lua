-- debug.getupvalue / setupvalue / upvalueid / upvaluejoin.

local a, b = 1, 2
local function f() return a + b end
local function g() return b end

print(debug.getupvalue(f, 1))
print(debug.getupvalue(f, 2))
print(select("#", debug.getupvalue(f, 3)), select("#", debug.getupvalue(f, 0)))
print(select("#", debug.getupvalue(print, 1)))
print(debug.setupvalue(f, 1, 10), f(), a)
print(select("#", debug.setupvalue(f, 5, 0)))

-- a main chunk's only upvalue is _ENV
local chunk = load("return x")
print(debug.getupvalue(chunk, 1) , select(2, debug.getupvalue(chunk, 1)) == _G)
debug.setupvalue(chunk, 1, {x = "from custom env"})
print(chunk())

-- identity: shared variables have the same id
print(debug.upvalueid(f, 2) == debug.upvalueid(g, 1), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
print(type(debug.upvalueid(f, 1)), debug.upvalueid(f, 3), debug.upvalueid(print, 1))
print(debug.upvalueid(f, 1) == debug.upvalueid(f, 1))

-- join: f's first upvalue becomes g's first (b)
debug.upvaluejoin(f, 1, g, 1)
print(f(), debug.upvalueid(f, 1) == debug.upvalueid(g, 1))
b = 5
print(f(), g())

-- closures made in a loop get fresh upvalues
local fs = {}
for i = 1, 2 do fs[i] = function () return i end end
print(debug.upvalueid(fs[1], 1) == debug.upvalueid(fs[2], 1))

-- errors
print(pcall(debug.getupvalue, 1, 1))
print(pcall(debug.getupvalue, f))
print(pcall(debug.setupvalue, f, 1))
print(pcall(debug.upvalueid, f, 9))
print(pcall(debug.upvalueid, {}, 1))
print(pcall(debug.upvaluejoin, f, 9, g, 1))
print(pcall(debug.upvaluejoin, f, 1, g, 9))
print(pcall(debug.upvaluejoin, print, 1, g, 1))
