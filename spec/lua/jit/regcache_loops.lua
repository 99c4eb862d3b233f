-- regcache_loops.lua - compiled loops keep registers in wasm locals (jit/regcache.ts) and run as
-- wasm loops (jit/loops.ts). Whatever reads a register from outside compiled code must still see
-- its current value: a callee changing a local through an upvalue or debug.setlocal, debug.getlocal
-- from a callee, a metamethod or a hook, an error's traceback, exits on a type change in the middle
-- of a loop, loops of every shape (nested, while, repeat, break, goto) and loops goto makes that
-- are not nested. Every function runs many times so that, with the JIT on, its compiled code runs.

local function show(...) print(...) end

-- a callee changes the caller's local through an upvalue, mid-loop
local function upvalue_writer(n)
  local acc, step = 0, 1
  local function bump() step = step + 1 end
  for i = 1, n do
    acc = acc + step
    if i % 7 == 0 then bump() end
  end
  return acc, step
end

-- debug.setlocal / debug.getlocal on the caller's frame from inside its loop
local function setlocal_target(n)
  local total, k = 0, 1
  for i = 1, n do
    total = total + k
    if i == n // 2 then
      local name, v = debug.getlocal(1, 3)      -- k, seen from this frame
      assert(name == "k" and v == 1);
      (function () debug.setlocal(2, 3, 100) end)()
    end
  end
  return total, k
end

-- a metamethod called from the loop reads the loop's locals through debug.getlocal
local seen = {}
local probe = setmetatable({}, { __index = function (t, key)
  local _, v = debug.getlocal(2, 1)
  seen[#seen + 1] = v
  return key
end })
local function metamethod_reader(n)
  local x = 0
  for i = 1, n do
    x = x + i * 2
    if i % 5 == 0 then local _ = probe[i] end
  end
  return x
end

-- a metamethod the table access in the loop runs changes the loop's locals (an upvalue, debug.setlocal)
local function helper_writer(n)
  local k, s, m = 1, 0, 0
  local t = setmetatable({}, { __index = function (_, i) k = k + 1; return i end })
  local u = setmetatable({}, { __index = function (_, i) debug.setlocal(2, 3, m + 10); return 1 end })
  for i = 1, n do
    s = s + k
    local v = t[i]
    s = s + v + k
    m = m + u[i] + 1
    s = s + m
  end
  return s, k, m
end

-- types change in the middle of a loop (exits with registers in locals, then resumes interpreted)
local function type_changes(n)
  local v, f, s = 1, 0.5, 0
  for i = 1, n do
    v = v + 1
    f = f * 1.5
    if i == n - 3 then v = v + 0.25 end          -- an integer becomes a float
    if i == n - 2 then v = tostring(v) end       -- then a string: + converts it
    s = s + v
  end
  return v, f, s
end

-- an error raised in a loop: the traceback and the handler see the current values
local function raises(n)
  local count = 0
  for i = 1, n do
    count = count + i
    if i == n then error("stop at " .. count) end
  end
end

-- loop shapes
local function shapes(n)
  local a, b, c, d = 0, 0, 0, 0
  for i = 1, n do
    for j = i, n, 3 do a = a + j - i end
    local k = 0
    while k < i do k = k + 2; if k == 8 then break end end
    b = b + k
  end
  local r = n
  repeat r = r - 3; c = c + r until r < 0
  local i = 0
  ::top::
  i = i + 1
  if i % 2 == 0 then goto continue end
  d = d + i
  ::continue::
  if i < n then goto top end
  for x = 1.0, 3.0, 0.5 do d = d + x end        -- a float loop
  for x = 10, 1, -2 do d = d - x end           -- a negative step
  return a, b, c, d
end

-- a loop goto makes that is entered in its middle (not nested loops): compiled without wasm loops
local function tangled(n)
  local out, i = 0, 0
  if n > 5 then goto middle end
  ::head::
  i = i + 1
  out = out + 1
  ::middle::
  out = out + 2
  if i < n then goto head end
  return out
end

-- booleans, nil and tables moving through registers in a compiled loop
local function mixed(n)
  local t, flag, last = {}, false, nil
  for i = 1, n do
    flag = not flag
    if flag then last = i else last = nil end
    t[#t + 1] = last == nil and "x" or last
  end
  return #t, flag, last, t[1], t[2]
end

-- a count hook set from inside a loop counts exactly as the interpreter does
local function hooked(n)
  local calls = 0
  local s = 0
  for i = 1, n do
    s = s + i
    if i == n // 2 then debug.sethook(function () calls = calls + 1 end, "", 7) end
  end
  debug.sethook()
  return s, calls
end

for round = 1, 30 do
  local r1 = { upvalue_writer(100 + round) }
  local r2 = { setlocal_target(40 + round) }
  seen = {}
  local r3 = metamethod_reader(25 + round)
  local r4 = { type_changes(10 + round) }
  local ok, msg = pcall(raises, 5 + round)
  local r5 = { shapes(12 + round % 5) }
  local r6 = tangled(round % 9)
  local r7 = { mixed(6 + round % 4) }
  local r8 = { hooked(200 + round) }
  local r9 = { helper_writer(20 + round) }
  if round % 10 == 0 or round == 1 then
    show(round, table.unpack(r1)) show(table.unpack(r2)) show(r3, table.concat(seen, ","))
    show(table.unpack(r4)) show(ok, msg) show(table.unpack(r5)) show(r6) show(table.unpack(r7))
    show(table.unpack(r8)) show(table.unpack(r9))
  end
end
print(select(2, xpcall(raises, debug.traceback, 3)))
