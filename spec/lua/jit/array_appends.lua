-- Stores into the array part past its length hint from compiled code (assembly/jit/compile.ts
-- arrayslot: the hint moved as luaH_getint moves it, then the store): appends `t[#t + 1] = v`,
-- appends of nil, stores into holes beyond the border, and the borders `#` then finds (lua5.4's,
-- byte for byte), with __newindex and on tables of every size. Every function runs many times.

local function append(t, v) t[#t + 1] = v return #t end
local function fill(n) local t = {} for i = 1, n do t[#t + 1] = i end return t end
local function seti(t, i, v) t[i] = v return #t end
local lens = {}
for r = 1, 30 do
  local t = fill(r * 7)
  lens[r] = #t .. "/" .. append(t, "x") .. "/" .. append(t, nil) .. "/" .. #t
end
print(table.concat(lens, " "))

-- holes: stores past the border but inside the array part, then the border # finds
local out = {}
for r = 1, 30 do
  local t = {}
  for i = 1, 16 do t[i] = i end
  for i = 16, 9, -1 do t[i] = nil end
  out[#out + 1] = #t .. ":" .. seti(t, 12, "a") .. ":" .. seti(t, 9, "b") .. ":" .. seti(t, 10, "c")
    .. ":" .. seti(t, 11, "d") .. ":" .. seti(t, 16, nil) .. ":" .. seti(t, 13, "e")
end
print(out[1], out[30])

-- __newindex sees appends into empty slots, the hint moved or not
local log = {}
local mt = { __newindex = function(t, k, v) log[#log + 1] = k rawset(t, k, v) end }
for r = 1, 20 do
  local t = setmetatable({ 1, 2, 3, nil, nil, nil, nil, nil }, mt)
  append(t, "n") append(t, "m")
end
print(#log, log[1], log[2], log[40])
