-- Proper tail calls do not grow the stack.
local function loop(n, acc)
  if n == 0 then return acc end
  return loop(n - 1, acc + 1)
end
print(loop(100000, 0))
print(loop(1000000, 0))
-- mutual tail recursion
local ping, pong
function ping(n) if n == 0 then return "ping done" end return pong(n - 1) end
function pong(n) if n == 0 then return "pong done" end return ping(n - 1) end
print(ping(100001), ping(100000))
-- tail call through a method
local obj = { n = 0 }
function obj:count(k)
  if k == 0 then return self.n end
  self.n = self.n + 1
  return self:count(k - 1)
end
print(obj:count(200000))
-- tail call to a vararg function
local function va(n, ...)
  if n == 0 then return select("#", ...), ... end
  return va(n - 1, ...)
end
print(va(100000, "a", "b"))
-- a tail call returns all results of the callee
local function multi() return 1, 2, 3 end
local function tail() return multi() end
print(tail())
-- parenthesised call is not a tail call but still works
local function notTail(n)
  if n == 0 then return 0 end
  return (notTail(n - 1))
end
print(notTail(1000))
-- tail call through a callable table (__call)
local callable = setmetatable({}, { __call = function(self, n, acc)
  if n == 0 then return acc end
  return self(n - 1, acc + 2)
end })
print(callable(100000, 0))
