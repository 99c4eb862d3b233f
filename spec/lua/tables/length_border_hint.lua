-- '#t' on tables with holes: which border lua5.4 picks. Any border is valid Lua, but lua5.4 keeps a
-- hint (ltable.c's 'alimit') where its next '#t' starts looking: '#t' moves it to the border it
-- found, an integer-key read or write between the hint and the end of the array part moves it to
-- that key, a rehash resets it to the array size, and next/pairs leave it alone. Each block builds
-- a state where the hint decides the answer.

-- A 16-slot array with 1..10 and 13..14 present: '#t' binary-searches down to 10 and keeps it.
local function holes16()
  local t = {}
  for i = 1, 16 do t[i] = i end
  t[11] = nil; t[12] = nil; t[15] = nil; t[16] = nil
  return t, #t
end

-- the difffuzz find (seed 9090, program 39283): a rehash to 8 slots, then table.remove
local t4 = {7, 7, 0, 13}
t4[7.0] = 1
print("remove", #t4, table.remove(t4, 1), #t4, t4[4], t4[6], t4[7])

-- t[#t] = nil walks the hint down; a write past it moves it up again
local t = {}
for i = 1, 8 do t[i] = i end
t[8] = nil; local a = #t
t[7] = nil; local b = #t
t[6] = nil; local c = #t
t[7] = 1
print("walk down, write up", a, b, c, #t)

-- reads past the hint move it, by every way of reading an integer key
do
  local t, before = holes16()
  local x = t[13]                     -- constant integer key (GETI)
  print("GETI", before, #t)
  t = holes16(); local k = 13
  x = t[k]                            -- integer key in a register (GETTABLE)
  print("GETTABLE", #t)
  t = holes16(); local f = 13.0
  x = t[f]                            -- float key with an integer value
  print("float key", #t)
  t = holes16()
  x = rawget(t, 13)
  print("rawget", #t)
  t = holes16()
  x = table.unpack(t, 13, 13)
  print("unpack", #t)
  t = holes16()
  x = t[14]
  print("read 14", #t)
  t = holes16()
  x = t[12]                           -- an absent key still moves the hint
  print("read absent 12", #t)
  t = holes16()
  x = t[17]                           -- past the array part: hash lookup, no hint change
  print("read 17", #t)
  t = holes16()
  x = t[9]                            -- below the hint: no change
  print("read 9", #t)
end

-- traversals do not move the hint
do
  local t = holes16()
  for k, v in pairs(t) do end
  print("pairs", #t)
  t = holes16()
  local k = next(t, 12)
  print("next", k, #t)
  t = holes16()
  local n = 0
  for i, v in ipairs(t) do n = i end  -- ipairs reads 1..11: the hint goes to 11, '#t' lowers it to 10
  print("ipairs", n, #t)
end

-- writes past the hint, by every way of writing an integer key
do
  local t = holes16()
  t[13] = "x"
  print("SETI", #t)
  t = holes16(); local k = 14
  t[k] = "x"
  print("SETTABLE", #t)
  t = holes16()
  t[13.0] = "x"
  print("float key set", #t)
  t = holes16()
  rawset(t, 13, "x")
  print("rawset", #t)
  t = holes16()
  t[13] = nil                         -- assigning nil moves it too
  print("set nil 13", #t)
  t = holes16()
  t[13] = t[13]
  print("t[13] = t[13]", #t)
  t = holes16()
  table.insert(t, "x")                -- appends at #t + 1 = 11
  print("insert", #t, t[11])
  t = holes16()
  table.insert(t, 3, "x")             -- shifts 3..10 up to 4..11
  print("insert at 3", #t, t[11])
  t = holes16()
  print("remove last", table.remove(t), #t)
  t = holes16()
  print("remove 1", table.remove(t, 1), #t)
  t = holes16()
  table.move(t, 13, 14, 1)
  print("move", #t)
end

-- a rehash resets the hint to the array size
do
  local t = holes16()
  t.x = 1                            -- the hash part is empty: rehash (16 array slots again)
  print("rehash", #t)
  t = holes16()
  t[20] = 1                          -- an integer key past the array part: rehash too
  print("rehash int", #t)
  t = holes16()
  local x = t[13]                    -- hint 13 ...
  t.y = 1                            -- ... forgotten by the rehash: '#' searches from 16 again
  print("read then rehash", #t)
end

-- arrays whose size is not a power of 2 (constructors) keep the hint at their size
do
  local t = {1, 2, 3, 4, 5, 6}
  t[6] = nil; print("ctor6", #t)
  t[5] = nil; print("ctor6", #t)
  t[4] = nil; t[3] = nil; print("ctor6", #t)
  local u = {1, 2, nil, 4, 5, nil, 7}
  print("ctor7", #u)
  u[7] = nil; print("ctor7", #u)
  local w = {1, 2, 3, nil, nil, nil, nil, 8}
  print("ctor8", #w)
  w[8] = nil; print("ctor8", #w)
  w[6] = 6; print("ctor8", #w)
end

-- the border may live in the hash part after the array part is full
do
  local t = {}
  for i = 1, 8 do t[i] = i end
  t[9] = 9; t[10] = 10                 -- rehash: 16 slots
  t[10] = nil; print("hash", #t)
  t[9] = nil; print("hash", #t)
  for i = 9, 16 do t[i] = i end
  t[17] = 17; print("hash", #t)
  t[16] = nil; print("hash", #t)
  t[17] = nil; print("hash", #t)
end

-- the hint at the top of the array part reached by a read (a power of 2)
do
  local t = {}
  for i = 1, 8 do t[i] = i end
  t[8] = nil; print("top", #t)             -- hint 7
  t[6] = nil; t[7] = nil; print("top", #t) -- t[7] moved nothing (7 <= hint); '#' finds 5
  local x = t[8]; print("top", #t)         -- hint 8: '#' searches from 8 again
  t[8] = 8; print("top", #t)
end
