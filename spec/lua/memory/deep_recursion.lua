-- Unbounded recursion is "stack overflow", caught by pcall; the stack is usable after.
local function f() return 1 + f() end
print(pcall(f))
local depth = 0
local function g() depth = depth + 1; return g() + 1 end
print(pcall(g))
print(depth > 100000)
local function h(n) if n == 0 then return 0 end return 1 + h(n - 1) end
print(h(10000))
