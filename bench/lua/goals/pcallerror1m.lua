-- pcallerror1m.lua - 1M pcall/error round trips (error-handling goal).
local n = 0
local function f(i) if i % 2 == 0 then error("even") end return i end
for i = 1, 1000000 do
  local ok = pcall(f, i)
  if ok then n = n + 1 end
end
print(n)
