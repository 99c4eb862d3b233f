-- fastcall_calls.lua - a call f(x) wanting one value may be a math native computed inline (jit/calls.ts
-- fastcall), so its unit keeps the loop's registers in wasm locals; only when f is anything else
-- does compiled code store them and really call, and after the call it must see what the callee
-- changed: a local captured by the callee, a local set by debug.setlocal, values the callee read
-- through debug.getlocal, objects a collection inside the callee must not free. Each loop runs many
-- times so that, with the JIT on, its compiled code runs.

-- a callee that changes a captured local of the loop
local function captured(n)
  local k, s = 1, 0.5
  local function f(x) k = k + 1; return x * 2 end
  for i = 1, n do
    s = s + k
    local y = f(s)
    s = s + y % 7 + k
  end
  return s, k
end

-- a callee that sets a local of the loop's frame with debug.setlocal (local 3 is k) and reads another
local function setter(x)
  local name, v = debug.getlocal(2, 3)
  assert(name == "k")
  debug.setlocal(2, 3, v + 2)
  local _, s = debug.getlocal(2, 2)
  return x + (s > 1e9 and 1 or 0)
end
local function setlocal_loop(n)
  local s, k = 0, 1
  for i = 1, n do
    s = s + k
    local y = setter(i)
    s = s + y + k
  end
  return s, k
end

-- a callee that collects while the loop holds a fresh table only in a register
local weak = setmetatable({}, { __mode = "k" })
local function collector(x) collectgarbage() return x end
local function gc_loop(n)
  local total = 0
  for i = 1, n do
    local t = { i, i + 1 }
    weak[t] = true
    local y = collector(i)
    total = total + t[1] + t[2] + y
  end
  return total
end

-- the same call sites with the real natives (computed inline) and with a native that is not one
local function natives(n)
  local sqrt, floor, abs, ceil, tostr = math.sqrt, math.floor, math.abs, math.ceil, tostring
  local s, u = 0, 0
  for i = 1, n do
    s = s + sqrt(i) + floor(i / 3) + abs(-i) + ceil(i / 7)
    u = u + #tostr(i)
  end
  return s, u
end

for round = 1, 40 do
  local a = { captured(30 + round) }
  local b = { setlocal_loop(30 + round) }
  local c = gc_loop(10 + round)
  local d = { natives(20 + round) }
  if round % 10 == 0 or round == 1 then
    print(round, a[1], a[2], b[1], b[2], c, d[1], d[2])
  end
end
collectgarbage()
local left = 0
for _ in pairs(weak) do left = left + 1 end
print("weak keys left", left)
