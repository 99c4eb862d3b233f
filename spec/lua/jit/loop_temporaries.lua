-- Registers a loop rewrites before reading them (dead at the loop's start: the JIT's register cache
-- does not hold them across the back-edge, assembly/jit/liveness.ts) must still be on the Lua stack
-- whenever something can look: debug.getlocal of the loop's frame from a metamethod (temporaries
-- included), the collector (weak values kept alive by a dead temporary), an error's message.
-- (Count hooks are left out: Debian's lua5.4 5.4.4 places their events differently from 5.4.8.) Every function runs many times
-- so that, with the JIT on, its compiled code does the work.

local function locals(level)
  local out, i = {}, 1
  while true do
    local name, value = debug.getlocal(level + 1, i)
    if not name then break end
    if type(value) == "number" or type(value) == "string" or value == nil or type(value) == "boolean" then
      out[#out + 1] = name .. "=" .. tostring(value)
    else
      out[#out + 1] = name .. "=" .. type(value)
    end
    i = i + 1
  end
  return table.concat(out, " ")
end

-- a metamethod reached every 50th iteration looks at the frame that called it
local seen
local probe = setmetatable({}, { __add = function(a, b) seen[#seen + 1] = locals(2) return 0 end })
local function loop(n)
  local s = 0
  for i = 1, n do
    if i % 50 == 0 then s = s + (probe + i) end      -- (a, b, c: last iteration's, in temporaries)
    local a = i * 2
    local b = a + 1
    local c = b * b
    s = s + c % 7
    if i % 50 == 1 then s = s + (probe + i) end
  end
  return s
end
for r = 1, 5 do seen = {} loop(200) end
seen = {}
print(loop(200))
for i = 1, #seen do print(seen[i]) end

-- a temporary holding the only reference to a table keeps it alive as long as the interpreter's would
local weak = setmetatable({}, { __mode = "v" })
local function keep(n)
  local last
  for i = 1, n do
    local t = { i }
    weak[1] = t
    last = #t + i
  end
  collectgarbage()
  return last, weak[1] ~= nil
end
for r = 1, 20 do keep(30) end
print(keep(30))

-- an error inside the loop: the traceback and the message see the loop's values
local function boom(n)
  local acc = 0
  for i = 1, n do
    local v = i * 3
    acc = acc + v
    if i == n then local bad = nil; return bad.x end
  end
  return acc
end
for r = 1, 10 do pcall(boom, 40) end
print(pcall(boom, 40))
