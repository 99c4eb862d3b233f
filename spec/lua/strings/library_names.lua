-- Names the libraries make from their own text (type names, math.type, coroutine.status, option
-- names, metamethod names) come from a cache of Lua strings kept beside the intern table
-- (object/string.ts): they must stay equal to the same text made by Lua code, across collections
-- that free them while nothing refers to them, and in the middle of incremental cycles.
local co = coroutine.create(function () coroutine.yield() end)
local function names()
  return {type(nil), type(1), type("s"), type({}), type(print), type(co), type(true), math.type(1),
    math.type(1.5), tostring(math.type("x")), coroutine.status(co), io.type(io.stdout), tostring(nil),
    tostring(true), tostring(false), type(io.stdout)}
end
local expect = {"nil", "number", "string", "table", "function", "thread", "boolean", "integer", "float",
  "nil", "suspended", "file", "nil", "true", "false", "userdata"}
local function check(tag)
  local bad = 0
  for round = 1, 3 do
    local got = names()
    for i, v in ipairs(expect) do
      local made = ("<" .. v .. ">"):sub(2, -2)
      local t = {[made] = i}
      if got[i] ~= v or got[i] ~= made or t[got[i]] ~= i then bad = bad + 1 end
    end
  end
  print(tag, bad)
end
check("fresh")
collectgarbage() collectgarbage()
check("after a full collection")
for round = 1, 30 do
  local junk = {}
  for i = 1, 200 do junk[i] = "n" .. i .. type(junk) .. math.type(i) end
  collectgarbage("step", 1)
  if round % 10 == 0 then check("step " .. round) end
end
-- metatables named by __name and __tostring
local mt = {__name = "My.Type"}
local obj = setmetatable({}, mt)
print((tostring(obj):gsub("0x%x+", "ADDR")))
mt.__tostring = function () return "custom" end
print(tostring(obj))
collectgarbage()
print(tostring(obj), (tostring(setmetatable({}, {__name = "Other"})):gsub("0x%x+", "ADDR")))
-- errors built from type names still read right after collections
for i = 1, 3 do
  collectgarbage()
  print(pcall(string.rep), select(2, pcall(math.floor, {})))
end
print(select(2, pcall(setmetatable, 1, {})), select(2, pcall(ipairs)))
