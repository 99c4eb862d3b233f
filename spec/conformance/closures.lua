-- closures.lua - upvalues shared between closures, per-iteration loop variables, varargs, goto.
local function counter ()
  local n = 0
  return function () n = n + 1; return n end, function () return n end
end
local inc, get = counter()
inc(); inc()
assert(get() == 2, "closures share their upvalue")

local fs = {}
for i = 1, 3 do fs[i] = function () return i end end
assert(fs[1]() == 1 and fs[3]() == 3, "each iteration has its own variable")

local function pack (...) return select("#", ...), { ... } end
local cnt, args = pack(1, nil, 3, nil)
assert(cnt == 4 and args[3] == 3)

local function tail (n) if n == 0 then return "done" end return tail(n - 1) end
assert(tail(100000) == "done", "tail calls do not grow the stack")

local i = 1
::top::
i = i + 1
if i < 5 then goto top end
assert(i == 5)

local log = {}
do
  local x <close> = setmetatable({}, { __close = function () log[#log + 1] = "closed" end })
  log[#log + 1] = "body"
end
assert(table.concat(log, ",") == "body,closed")

return true
