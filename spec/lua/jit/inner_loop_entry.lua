-- inner_loop_entry.lua - a long inner loop of a chunk that runs once is entered from the
-- interpreter at its header: the dispatch enters the outermost loop and its ladders lead on
-- (jit/compile.ts ladder), at any depth, with the registers the cached loop expects. The values
-- carried in and out (integers, floats, strings, tables, upvalues) must be exactly lua5.4's.

local t = {}
local acc, f, s = 0, 0.5, ""
for a = 1, 3 do
  for b = 1, 4000 do                      -- hot at once: entered at this header while a == 1
    acc = acc + b * a
    f = f * 1.0001
    if b % 1000 == 0 then s = s .. a .. ":" .. b .. " " end
  end
  t[a] = acc
end
print(acc, string.format("%.6f", f), s, t[1], t[2], t[3])

-- a chunk of its own, run once: its first back-edges are the innermost loop's, so the interpreter
-- enters there, three loops deep, through two ladders
local grid = assert(load([[
  local grid = 0
  for x = 1, 2 do
    for y = 1, 3 do
      local z = 0
      while z < 3000 do
        z = z + 1
        grid = grid + (x * y + z) % 7
      end
      for w = 10, 1, -1 do grid = grid - w end
    end
  end
  return grid
]]))()
print(grid)

local count = 0
local function bump(n) count = count + n end
repeat
  for i = 1, 2500 do
    if i % 2 == 0 then bump(1) end       -- a call inside the entered loop changes an upvalue
  end
until count >= 5000
print(count)

local words = {}
for round = 1, 2 do
  for i = 1, 3000 do
    local k = "w" .. (i % 50)
    words[k] = (words[k] or 0) + round
  end
end
local keys = {}
for k in pairs(words) do keys[#keys + 1] = k end
table.sort(keys)
print(#keys, keys[1], words[keys[1]], keys[50], words[keys[50]])
