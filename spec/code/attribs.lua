local x <const> = 42
local y <const> = "str"
local z <const> = 1.5
local w <const> = nil
local b <const> = true
local n <const> = x * 2 + 1
local q <const> = f()
local a1, a2 <const> = 1, 2
print(x, y, z, w, b, n, q, a1, a2)
do
  local c <close> = f()
  print(c)
end
local function g()
  local h <close> = f()
  return h
end
local function g2()
  local h <close> = f()
  return f(h)
end
for k, v in pairs({}) do print(k, v) end
local function up() return x + n end
local s <const> = "long string constant that is more than forty characters long"
print(s, s .. s)
