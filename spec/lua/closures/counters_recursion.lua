-- Counter generators and recursion through local functions.
local function counter(start, step)
  local c = start - step
  return function() c = c + step; return c end
end
local c1, c2 = counter(1, 1), counter(10, -2)
print(c1(), c1(), c1(), c2(), c2(), c2())
-- local function can call itself
local function fact(n) if n <= 1 then return 1 end return n * fact(n - 1) end
print(fact(1), fact(5), fact(20), fact(21))
-- 'local f = function' cannot see itself
local g = function(n) return n end
local g = function(n) if n == 0 then return "base" end return g(n - 1) end
print(g(3))
-- mutual recursion through forward-declared locals
local isEven, isOdd
function isEven(n) if n == 0 then return true end return isOdd(n - 1) end
function isOdd(n) if n == 0 then return false end return isEven(n - 1) end
print(isEven(10), isOdd(7), isEven(7))
-- fibonacci with memo table as upvalue
local memo = {}
local function fib(n)
  if n <= 2 then return 1 end
  if memo[n] then return memo[n] end
  local v = fib(n - 1) + fib(n - 2)
  memo[n] = v
  return v
end
print(fib(10), fib(50), fib(90))
-- recursion depth of a few thousand (non-tail) works
local function depth(n) if n == 0 then return 0 end return 1 + depth(n - 1) end
print(depth(5000))
-- ackermann small
local function ack(m, n)
  if m == 0 then return n + 1 end
  if n == 0 then return ack(m - 1, 1) end
  return ack(m - 1, ack(m, n - 1))
end
print(ack(2, 3), ack(3, 3))
-- recursive closure generator
local function makeRec()
  local self
  self = function(n) if n == 0 then return "done" end return self(n - 1) end
  return self
end
print(makeRec()(50))
