-- patterns1mb.lua - find, gmatch and gsub over a 1 MB text (standard library goal).
local words = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta" }
local b = {}
local n = 0
local i = 0
while n < 1000000 do
  i = i + 1
  local w = words[i % 8 + 1] .. i .. " "
  b[#b + 1] = w
  n = n + #w
end
local text = table.concat(b)
local count = 0
for _ in text:gmatch("%a+%d+") do count = count + 1 end
local s1, r1 = text:gsub("(%a+)(%d+)", "%2%1")
local s2, r2 = text:gsub("%s", "_")
local f = 0
local pos = 1
while true do
  local a, e = text:find("theta%d*7 ", pos)
  if not a then break end
  f = f + 1
  pos = e + 1
end
print(#text, count, r1, r2, f, #s1, #s2)
