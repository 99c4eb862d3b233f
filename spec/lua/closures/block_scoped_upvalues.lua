-- Upvalues are closed when their block exits; closure identity.
local getters = {}
do
  local a = "block a"
  getters[1] = function() return a end
  a = "changed before exit"
end
do
  local a = "second block"
  getters[2] = function() return a end
end
print(getters[1](), getters[2]())
-- closing happens for each block independently, even in nested functions
local function makePair()
  local x = 0
  local inc = function() x = x + 1 end
  local function peek() return x end
  return inc, peek
end
local inc, peek = makePair()
inc(); inc(); inc()
print(peek())
-- each evaluation of a function expression creates a new closure
local fs = {}
for i = 1, 2 do fs[i] = function() return 1 end end
print(fs[1] == fs[2], fs[1] == fs[1])
local function same() return function() end end
print(same() == same())
-- closures capture variables, not values
local v = 1
local get = function() return v end
v = 2
print(get())
-- an upvalue closed in one closure remains shared with its siblings
local function siblings()
  local s = "init"
  return function(n) s = n end, function() return s end
end
local set1, get1 = siblings()
local set2, get2 = siblings()
set1("one"); set2("two")
print(get1(), get2())
-- while loop with break: closure keeps the last value
local i, last = 0, nil
while true do
  i = i + 1
  local snapshot = i
  last = function() return snapshot end
  if i == 5 then break end
end
print(last())
-- parameters are locals: captured per call
local function capture(p) return function() p = p * 2; return p end end
local c1, c2 = capture(1), capture(10)
print(c1(), c1(), c2(), c1())
-- deep nesting of closures, each capturing from a different level
local function l1(a)
  return function(b)
    return function(c)
      return function(d) return a + b + c + d end
    end
  end
end
print(l1(1)(20)(300)(4000))
-- closures stored in tables and called later after their creator returned
local registry = {}
local function register(name)
  local count = 0
  registry[name] = function() count = count + 1; return name .. count end
end
register("x"); register("y")
print(registry.x(), registry.x(), registry.y())
-- varargs cannot be captured directly, but a table of them can
local function keep(...)
  local args = table.pack(...)
  return function() return args.n, table.unpack(args, 1, args.n) end
end
print(keep(1, nil, 3)())
-- a local function's own name is an upvalue inside it
local function selfRef() return selfRef end
print(selfRef() == selfRef)
-- shadowing: inner local hides outer upvalue
local sh = "outer"
local function shadow()
  local sh = "inner"
  return function() return sh end
end
print(shadow()(), sh)
