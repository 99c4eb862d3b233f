-- helper_frame_writes.lua - compiled loops keep registers in wasm locals across the helper calls of
-- table instructions (jit/regcache.ts). Lua code such a helper runs (an __index or __newindex
-- function, called nested) can change the loop's locals in two ways: through an upvalue the loop's
-- function captured (reloaded after the helper) or debug.setlocal (compiled code then exits and the
-- interpreter goes on). Each loop reads the local right after the table access.

-- __index writes a captured local
local function index_writer(n)
  local k, s = 1, 0
  local t = setmetatable({}, { __index = function (_, key) k = k + 1; return #key end })
  for i = 1, n do
    s = s + k
    local v = t.x
    s = s + v + k
  end
  return s, k
end

-- __newindex writes a captured local
local function newindex_writer(n)
  local k, s = 1, 0
  local t = setmetatable({}, { __newindex = function (_, _, v) k = k + v end })
  for i = 1, n do
    s = s + k
    t.y = 2
    s = s + k
  end
  return s, k
end

-- __index writes a local of the loop's frame through debug.setlocal (local 3 is k; nothing captures it)
local function doubler()
  local name, v = debug.getlocal(2, 3)
  assert(name == "k")
  debug.setlocal(2, 3, v * 2)
  return 1
end
local function setlocal_writer(n)
  local s, k = 0, 1
  local t = setmetatable({}, { __index = function () return doubler() end })
  for i = 1, n do
    s = s + k
    local v = t.z
    s = s + v + k
    if k > 1000 then k = 1 end
  end
  return s, k
end

-- the same through GETTABLE with a register key and SETI
local function register_key_writer(n)
  local k, s = 0, 0
  local keys = { "a", "b", "c" }
  local t = setmetatable({}, { __index = function (_, key) k = k + #key return 1 end,
                               __newindex = function () k = k - 1 end })
  for i = 1, n do
    local v = t[keys[i % 3 + 1]]
    s = s + v + k
    t[i] = 1
    s = s + k
  end
  return s, k
end

for round = 1, 30 do
  local a = { index_writer(40 + round) }
  local b = { newindex_writer(40 + round) }
  local c = { setlocal_writer(40 + round) }
  local d = { register_key_writer(40 + round) }
  if round % 10 == 0 or round == 1 then
    print(round, a[1], a[2], b[1], b[2], c[1], c[2], d[1], d[2])
  end
end
