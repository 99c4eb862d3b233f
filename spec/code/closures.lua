local a, b = 1, 2
local function f1() return a end
local function f2() a = b; return function() return a + b end end
local function f3(x, y, ...)
  local n = select('#', ...)
  local t = {...}
  local u, v = ...
  return x, y, n, ..., t
end
local function rec(n) if n == 0 then return 0 end return rec(n - 1) end
function g1(a, b) return a end
function t.m1(a) return a end
function t.a.b.c:m2(x) return self, x end
function obj:method(...) return self.x, ... end
local o = {}
function o:get() return self end
local v = o:get():get()
print(o.get(o), o:get(1, 2, ...))
local function tail(...) return f(...) end
local function tail2(x) return x:m() end
local function nottail(x) return (f(x)) end
local function multi() return 1, 2, f() end
local function deep()
  local l1 = 1
  return function()
    local l2 = 2
    return function()
      return function() return l1 + l2 + a end
    end
  end
end
_ENV = {}
x = 1
local function setenv() local _ENV = {} y = 2 return y end
