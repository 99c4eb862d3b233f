-- load with a reader function returning pieces.
local function reader(pieces)
  local i = 0
  return function()
    i = i + 1
    return pieces[i]
  end
end
print(load(reader({ "return ", "1 ", "+ ", "41" }))())
print(load(reader({ "ret", "urn 'split", " token'" }))())
print(load(reader({ "local x = 10\n", "local y = 20\n", "return x * y" }))())
-- reader returning an empty string ends the chunk
print(load(reader({ "return 'a'", "", "garbage that is never read" }))())
-- reader returning nil immediately: empty chunk
print(select("#", load(reader({}))()))
-- one character at a time
local src = "return 'char by char', 1 + 1"
local pos = 0
print(load(function()
  pos = pos + 1
  if pos <= #src then return src:sub(pos, pos) end
end)())
-- syntax error across pieces
print(load(reader({ "return ", "1 +" })))
-- reader must return strings (numbers are converted); pcall(load, ...) keeps messages clean
print(load(reader({ "return 1", 42 }))())
print(pcall(load, function() return {} end))
print(pcall(load, reader({ "return 1", true })))
-- reader that raises an error: load returns nil plus the error
print(pcall(load, function() error("reader failed", 0) end))
local r1, r2, r3 = pcall(load, function() error({ tag = "obj" }) end)
print(r1, r2, type(r3), r3.tag)
-- chunk name for function readers defaults to "=(load)"
print(load(reader({ "x = = 1" })))
print(load(reader({ "x = = 1" }), "=custom"))
-- the reader is called until it returns nil
local calls = 0
load(function() calls = calls + 1; if calls == 1 then return "return 1" end end)
print(calls)
