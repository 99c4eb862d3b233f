-- A tail call of a compiled function to its own prototype goes round the function's code again
-- from pc 0 in the same wasm frame (assembly/jit/compile.ts tailloop): the frame reused, the
-- closure replaced by the callee's (another closure of the same prototype has other upvalues), a
-- callee that leaves mid-way (a type miss, an error and its traceback), istailcall, and long
-- tail-recursive loops, run from the interpreter's tail calls too (vm/execute.ts TAILCALL).

local function sum(n, acc) if n == 0 then return acc end return sum(n - 1, acc + n) end
print(sum(300000, 0), sum(10, 0.5))

-- two closures of one prototype, each with its own upvalues, calling each other in tail position
local function mk(k)
  local box = {}
  box.f = function(n, acc) if n == 0 then return acc end return box.next(n - 1, acc + k) end
  return box
end
local a, b = mk(1), mk(1000)
a.next, b.next = b.f, a.f
print(a.f(100001, 0), b.f(7, 0))

-- a type miss part of the way down (a string, then a float, then a metamethod) and an error
local function walk(n, acc)
  if n == 0 then return acc end
  if n == 5000 then acc = tostring(acc) end
  if n == 3000 then acc = acc + 0.25 end
  return walk(n - 1, acc + 1)
end
print(walk(20000, 0))
local mt = { __add = function(x, y) return setmetatable({ v = x.v + y }, getmetatable(x)) end }
print(walk(100, setmetatable({ v = 0 }, mt)).v)
local function bad(n) if n == 0 then return nil + 1 end return bad(n - 1) end
print(pcall(bad, 50000))
print((select(2, xpcall(bad, debug.traceback, 3)):gsub("\n%s*", " / "):gsub("%[C%]: in %?", "[C]")))

-- istailcall seen at the bottom of a tail-recursive loop
local function depth(n) if n == 0 then return debug.getinfo(1, "t").istailcall end return depth(n - 1) end
print(depth(0), depth(1), depth(40000))

-- varargs and fewer arguments than parameters: the interpreter's tail call (not the loop)
local function va(n, ...) if n == 0 then return select("#", ...) end return va(n - 1, n, ...) end
local function few(n, x) if n == 0 then return x end return few(n - 1) end
print(va(20), few(1000, "x"), few(0, "y"))
