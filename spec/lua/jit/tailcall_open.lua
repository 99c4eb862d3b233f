-- A tail call whose arguments run up to the top (`return f(g(x))`, `return f(...)`: B = 0) goes
-- straight into a compiled callee (assembly/jit/compile.ts tailcallop, movedown): the function and
-- however many values the call before left moved down to the frame's slot, missing parameters a
-- miss (the helper fills them with nil), a callee that is not a Lua function (a native, __call) the
-- helper's, and the frame is the caller's in tracebacks and debug.getinfo.

local function compose(f, g) return function(x) return f(g(x)) end end
local function add(a, b) return (a or 0) + (b or 100) end
local function two(x) return x, x * 10 end
local function many(x) return x, 1, 2, 3, 4, 5, 6, 7 end
local function none(x) end
local function count(...) return select("#", ...) end
local h = { compose(add, two), compose(add, none), compose(count, two), compose(count, many),
  compose(add, many), compose(tostring, two), compose(setmetatable({}, { __call = function(self, a, b) return a - b end }), two) }
local sums = {}
for i = 1, 300 do
  for k, f in ipairs(h) do
    local r = f(i)
    sums[k] = (sums[k] or 0) + (type(r) == "number" and r or #r)
  end
end
print(table.concat(sums, " "))

-- varargs forwarded in tail position
local function vsum(...) local t = 0 for _, v in ipairs({ ... }) do t = t + v end return t end
local function fwd(...) return vsum(...) end
local function fwd2(...) return add(...) end
local z = 0
for i = 1, 500 do z = z + fwd(i, 1, 2) + fwd2(i) + fwd2(i, i) + fwd2() end
print(z)

-- where the callee is: its own frame in a traceback, the tail call marked
local function where(x) return debug.traceback("at " .. tostring(x), 1) end
local function deep(n) if n == 0 then return where(select(1, n)) end return deep(n - 1) end
local function tcopen(n) return deep(select(1, n)) end
for i = 1, 3 do tcopen(3) end
print(tcopen(3))
local function info() local t = debug.getinfo(1, "t") return t.istailcall end
local function calls_info() return info(select(1, 1)) end
for i = 1, 3 do calls_info() end
print(calls_info())

-- an error in the callee after an open tail call: the interpreter's message
local function bad(t, k) return t[k].x end
local function tcbad(...) return bad(...) end
for i = 1, 3 do pcall(tcbad, { a = { x = 1 } }, "a") end
print(pcall(tcbad, { a = 1 }, "b"))
