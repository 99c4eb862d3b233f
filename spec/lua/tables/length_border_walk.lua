-- '#t' after long random sequences of table operations on tables with holes: every border must be
-- the one lua5.4 picks (see length_border_hint.lua for why that depends on the history). A fixed
-- linear congruential generator drives the walk, so the sequence is the same in every interpreter.
-- No string keys: lua5.4 seeds its string hash at random, which moves the rehashes (and so the
-- hint's resets) from run to run; integer and float keys hash the same way every time.
-- Each line is one walk: its operations as letters (see OPS) and the length after each of them.

local seed = 20261206
local function rnd(n)                  -- 1..n
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed // 65536 % n + 1
end

local sink
local SPAN                             -- integer keys are drawn from 1..SPAN (set per walk)
local OPS = {
  function(t) t[rnd(SPAN)] = true; return "w" end,            -- write an integer key
  function(t) t[rnd(SPAN)] = nil; return "n" end,             -- erase one
  function(t) t[#t] = nil; return "d" end,                      -- drop the last
  function(t) sink = t[rnd(SPAN)]; return "r" end,            -- read (GETTABLE)
  function(t) sink = t[rnd(SPAN) + 0.0]; return "f" end,      -- read with a float key
  function(t) rawset(t, rnd(SPAN), 1); return "s" end,
  function(t) sink = rawget(t, rnd(SPAN)); return "g" end,
  function(t) table.insert(t, 1); return "i" end,
  function(t) table.insert(t, rnd(#t + 1), 2); return "I" end,
  function(t) table.remove(t); return "x" end,
  function(t) if #t > 0 then table.remove(t, rnd(#t)) end; return "X" end,
  function(t) t[rnd(4) + 0.5] = rnd(2) == 1 or nil; return "h" end,   -- hash keys: rehashes
  function(t) for k in pairs(t) do end; return "p" end,
  false,                                                        -- next: below
  function(t) for i, v in ipairs(t) do end; return "q" end,
  function(t) local a = rnd(SPAN); sink = table.unpack(t, a, a + 1); return "u" end,
  function(t) sink = t[3]; sink = t[7]; sink = t[13]; return "c" end,  -- constant keys (GETI)
  function(t) t[5] = 5; t[11] = nil; return "C" end,                   -- constant keys (SETI)
}

-- next(t, k) needs k in t: from the start when the drawn key is absent
OPS[14] = function(t)
  local k = rnd(SPAN)
  if t[k] == nil then sink = next(t) else sink = next(t, k) end
  return "N"
end

local function start(kind)
  if kind == 1 then return {} end
  if kind == 2 then return {1, 2, 3, nil, 5, 6, nil, 8, 9} end
  if kind == 3 then local t = {} for i = 1, 16 do t[i] = i end return t end
  if kind == 4 then local t = {} for i = 1, 33 do t[i] = i end return t end
  return {[0] = 0, 1, 2, 3, 4, 5}
end

for walk = 1, 60 do
  local kind = rnd(5)
  local t = start(kind)
  SPAN = ({12, 12, 20, 40, 10})[kind]
  local ops, lens = {}, {}
  for step = 1, 30 do
    ops[step] = OPS[rnd(#OPS)](t)
    lens[step] = #t
  end
  print(walk, table.concat(ops), table.concat(lens, " "))
end
