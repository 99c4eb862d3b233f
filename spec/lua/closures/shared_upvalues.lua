-- Closures created in the same scope share upvalues.
local function make()
  local n = 0
  local function inc() n = n + 1; return n end
  local function get() return n end
  local function set(v) n = v end
  return inc, get, set
end
local inc, get, set = make()
print(inc(), inc(), get())
set(100)
print(get(), inc())
-- a second instance is independent
local inc2, get2 = make()
print(inc2(), get(), get2())
-- upvalue shared with the enclosing function while it is still running
local function outer()
  local x = 1
  local function bump() x = x + 10 end
  bump(); bump()
  return x
end
print(outer())
-- nested closures: three levels
local function level1()
  local a = "a"
  return function()
    local b = "b"
    return function()
      a = a .. "!"
      return a .. b
    end
  end
end
local l3 = level1()()
print(l3(), l3())
-- parameter captured
local function adder(x) return function(y) x = x + y; return x end end
local add = adder(10)
print(add(1), add(2), add(3))
-- upvalue of upvalue shared between sibling closures
local function pair()
  local v = 0
  local function a() return function() v = v + 1; return v end end
  local function b() return function() return v end end
  return a(), b()
end
local pa, pb = pair()
pa(); pa()
print(pb())
-- modifying a captured local after closure creation is seen
local late = 1
local function seeLate() return late end
late = 2
print(seeLate())
