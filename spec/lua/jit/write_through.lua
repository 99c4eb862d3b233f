-- write_through.lua - the register cache's write-through (jit/regcache.ts): in a loop body long
-- enough, a unit whose written register would be stored at four or more exits, slow halves or
-- calls stores it at once instead, and the register is clean after it. Whatever path leaves the
-- compiled loop, the interpreter must find every local as its own code would have left it: here
-- a field turning into a string midway (an arithmetic exit: "2.5" is coerced by the interpreter),
-- an __index function reached from a table unit's slow half that reads the loop's locals with
-- debug.getlocal, and an error raised in the middle of the body, caught by pcall, after which the
-- partial sums are printed. Each function runs many times so that, with the JIT on, its code runs.

local function step(bodies, n, dt, seen)
  local ex, ey, ez, steps = 0.0, 0.0, 0.0, 0
  for i = 1, n do
    local b = bodies[i]
    local x, y, z = b.x, b.y, b.z
    local dx, dy, dz = x - ex, y - ey, z - ez
    local d2 = dx * dx + dy * dy + dz * dz
    local m = b.mass * dt
    ex, ey, ez = ex + dx * m, ey + dy * m, ez + dz * m
    local w = b.weight                             -- absent: __index, which looks at this frame
    b.vx, b.vy, b.vz = b.vx + dx * m + w, b.vy + dy * m, b.vz + dz * m + d2
    steps = steps + 1
  end
  return ex, ey, ez, steps
end

local seen = {}
local meta = { __index = function (t, k)
  -- the caller's locals as the interpreter sees them: ex, ey, ez and steps were written by units
  -- that may write through, dx and m were left dirty, all stored before this call
  local names = {}
  for l = 1, 40 do
    local name, v = debug.getlocal(2, l)
    if not name then break end
    if name == "ex" or name == "steps" or name == "dx" or name == "m" then names[#names + 1] = name .. "=" .. string.format("%.6g", v) end
  end
  seen[#seen + 1] = table.concat(names, " ")
  return 0.25
end }

local function makebodies(n, stringy)
  local bs = {}
  for i = 1, n do
    bs[i] = setmetatable({ x = i * 0.5, y = i * 0.25, z = -i * 0.125, mass = 1 + i % 3,
                           vx = 0.0, vy = 0.0, vz = 0.0 }, meta)
  end
  if stringy then bs[n // 2].mass = "2.5" end       -- a string operand: the interpreter's coercion
  return bs
end

local acc = 0.0
for round = 1, 150 do
  local bs = makebodies(12, round % 50 == 0)
  local ex, ey, ez, steps = step(bs, 12, 0.01, seen)
  acc = acc + ex + ey + ez + steps + bs[12].vx + bs[6].vz
end
print(string.format("%.10g", acc), #seen, seen[1], seen[#seen])

-- an error in the middle of the body: the sums so far, as the interpreter left them in the frame
local function partial(bodies, n)
  local sx, sy, sz, k = 0.0, 0.0, 0.0, 0
  local ok, err = pcall(function ()
    for i = 1, n do
      local b = bodies[i]
      local px, py, pz = b.x * 2.0, b.y * 2.0, b.z * 2.0
      sx, sy, sz = sx + px * px, sy + py * py, sz + pz - px
      k = k + 1
      sx = sx + #b.name                                 -- the last body has no name: an error
      sy, sz = sy - px * 0.5, sz + py * 0.25
    end
  end)
  return sx, sy, sz, k, ok, err and err:gsub("^.-:%d+: ", "")
end

local total = 0.0
for round = 1, 100 do
  local bs = {}
  for i = 1, 10 do bs[i] = { x = i + round * 0.001, y = i * 2.0, z = -i * 1.0, name = (i < 10 or round % 2 == 0) and "b" .. i or nil } end
  local sx, sy, sz, k, ok, err = partial(bs, 10)
  total = total + sx + sy + sz + k
  if round <= 2 then print(string.format("%.6f %.6f %.6f", sx, sy, sz), k, ok, err) end
end
print(string.format("%.6f", total))
