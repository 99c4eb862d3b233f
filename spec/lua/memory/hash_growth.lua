-- Growing the hash part without bound (string keys) ends with "not enough memory" under pcall.
local t = {}
local ok, e = pcall(function()
  local i = 0
  while true do i = i + 1; t["key" .. i] = i end
end)
print(ok, e)
t = nil
collectgarbage()
local u = {}
for i = 1, 100 do u["k" .. i] = i end
print(u.k1, u.k100)
