-- Doubling a string until memory runs out: a catchable "not enough memory", then business as usual.
local n = 0
local ok, e = pcall(function()
  local s = "x"
  while true do s = s .. s; n = n + 1 end
end)
print(ok, e, n > 20)
collectgarbage()
print(collectgarbage("count") < 4096)
print(("ab"):rep(3) .. "!")
