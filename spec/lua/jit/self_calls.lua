-- self_calls.lua - a compiled function calling its own prototype takes a direct call (jit/compile.ts
-- directcall, self): recursion, two closures of one prototype with different upvalues calling each
-- other, calls with fewer arguments than parameters or with multiple results as arguments, a vararg
-- function called with fixed arguments, depth
-- past the compiled nesting bound, a stack overflow and an error deep inside, a recursion that
-- starts failing its guards (floats and strings), all against lua5.4's results.

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end

local function maker(tag, scale)
  local self
  self = function (n, other)
    if n <= 0 then return tag end
    local r = (other or self)(n - 1, other and self or nil)
    return r .. (n % 3 == 0 and tag or "") , scale
  end
  return self
end
local a, b = maker("a", 1), maker("b", 2)

local function count(n, acc)                  -- acc may be missing: nil until the first step
  if n == 0 then return acc end
  return count(n - 1, (acc or 0) + n), 0
end

local function spread(n, ...)                 -- arguments from a multiple-result call (B = 0)
  if n == 0 then return select("#", ...) end
  return spread(n - 1, n, ...)
end

local function varfixed(n, ...)               -- a vararg callee given fixed arguments (B > 0): its
  local k = select("#", ...)                  -- VARARGPREP counts them from the L.top a CALL sets
                                              -- (a direct call leaves L.top: it has no vararg callees)
  if n == 0 then return k end
  if n % 2 == 0 then return k * 3 + varfixed(n - 1, n, n * 2) end
  return k * 5 + varfixed(n - 1, "odd")
end

local function deep(n) if n == 0 then return 0 end return 1 + deep(n - 1) end

local function boom(n) if n == 0 then error("bottom reached") end return boom(n - 1) + 1 end

local function mixed(n)                        -- integers, floats, strings: guards fail deep inside
  if tonumber(n) < 1 then return n end
  return mixed(n - 1) + mixed(n - 2)
end

local function overflow(n) return overflow(n + 1) + 1 end

for round = 1, 20 do
  local r = { fib(15 + round % 3), a(7, b), b(5), count(50), spread(10, "x"), varfixed(9, 1, 2, 3), deep(400 + round) }
  local ok, e = pcall(boom, 300)
  r[#r + 1] = ok
  r[#r + 1] = e
  r[#r + 1] = mixed(12)
  r[#r + 1] = mixed(6.5)
  r[#r + 1] = mixed("7")
  if round == 1 or round == 20 then print(table.unpack(r)) end
end
local ok, e = pcall(overflow, 1)
print(ok, e)
print(select(2, pcall(mixed, {})))
