-- Strings of 0 and 1 bytes come from a cache beside the intern table (object/string.ts): they must
-- stay equal to the same bytes made any other way, survive collections while referenced, and be
-- made again correctly after the collector freed them (also in the middle of an incremental cycle).
local function check(tag)
  local bad = 0
  for i = 0, 255 do
    local a, b, c = string.char(i), ("x" .. string.char(i)):sub(2), string.format("%c", i)
    local t = {[a] = i}
    if a ~= b or b ~= c or #a ~= 1 or a:byte() ~= i or t[b] ~= i or t[c] ~= i then bad = bad + 1 end
  end
  local e1, e2, e3 = ("abc"):sub(2, 1), table.concat({}), string.rep("x", 0)
  local t = {[e1] = true}
  print(tag, bad, e1 == e2 and e2 == e3 and #e1 == 0 and t[e2] and t[e3] and t[""])
end
check("fresh")
local keep = {}
for i = 0, 255 do keep[i] = string.char(i) end
collectgarbage() collectgarbage()
check("kept")
keep = nil
collectgarbage() collectgarbage()
local junk = {}
for i = 1, 2000 do junk[i] = "junk" .. i .. ("y"):rep(i % 7) end   -- reuse the freed memory
check("after a full collection")
junk = nil
for round = 1, 20 do
  local t = {}
  for i = 0, 255 do t[#t + 1] = string.char((i * 7 + round) % 256) end
  t = nil
  collectgarbage("step", 1)
  local u = {}
  for i = 1, 300 do u[i] = ("%d"):format(i) .. "z" end
end
check("after incremental steps")
collectgarbage("generational")
for round = 1, 5 do
  local t = {}
  for i = 0, 255 do t[i] = string.char(i) end
  collectgarbage("step", 0)
end
collectgarbage("incremental")
check("after generational steps")
-- one-byte keys in a big table keep their identity across collections
local map = {}
for i = 0, 255 do map[string.char(i)] = i end
collectgarbage()
local n = 0
for k, v in pairs(map) do if k == string.char(v) then n = n + 1 end end
print(n)
