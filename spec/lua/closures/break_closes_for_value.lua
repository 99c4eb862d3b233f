-- 'break' out of a generic for whose body captured a loop variable in a closure must still close
-- the for's closing value (Lua 5.4.4 emitted a CLOSE at the wrong level; fixed in 5.4.5).

local closed = false
local o1 = setmetatable({}, {__close = function() closed = true end})

local function test()
  for k, v in next, {}, nil, o1 do
    local function f() return k end   -- creates an upvalue
    break
  end
  return closed
end
print(test())

closed = false
local function test2()
  for k in function(_, k) if k < 3 then return k + 1 end end, nil, 0, o1 do
    local function f() return k end
    if k == 2 then break end
  end
  return closed
end
print(test2())

-- a goto out of such a loop closes it too
closed = false
local function test3()
  for k in function(_, k) if k < 3 then return k + 1 end end, nil, 0, o1 do
    local function f() return k end
    if k == 2 then goto out end
  end
  ::out::
  return closed
end
print(test3())
