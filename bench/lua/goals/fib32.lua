-- fib32.lua - recursive fib(32): ~7 million Lua-to-Lua calls (interpreter core goal).
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(32))
