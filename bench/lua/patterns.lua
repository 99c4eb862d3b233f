-- patterns.lua - pattern matching: gmatch, gsub with strings/tables/functions, find with captures.
local words = { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta" }
local buf = {}
for i = 1, 20000 do
  buf[i] = string.format("%s=%d %s@%s.org", words[i % 8 + 1], i, words[(i * 3) % 8 + 1], words[(i * 5) % 8 + 1])
end
local text = table.concat(buf, "\n")
local kv, sum = 0, 0
for k, v in string.gmatch(text, "(%a+)=(%d+)") do kv = kv + #k; sum = (sum + tonumber(v)) % 1000003 end
local mails = 0
for user, host in string.gmatch(text, "(%w+)@(%w+)%.org") do mails = mails + #user + #host end
local replaced, n = string.gsub(text, "%d+", function (d) return #d end)
local upper = string.gsub(text, "%f[%a]%a", string.upper)
local swapped = string.gsub(text, "(%a+)=(%d+)", "%2=%1")
local map = { alpha = "A", beta = "B" }
local mapped = string.gsub(text, "%a+", map)
local found, pos = 0, 1
while true do
  local s, e = string.find(text, "gamma=%d+", pos)
  if not s then break end
  found = found + 1; pos = e + 1
end
print(kv, sum, mails, #replaced, n, #upper, #swapped, #mapped, found)
