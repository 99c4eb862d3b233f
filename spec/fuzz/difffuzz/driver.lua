-- driver.lua - runs a batch of differential-fuzzer programs in one lua5.4 process (spec/fuzz/difffuzz/oracle.ts).
-- Input file (arg[1]): repeated "<byte length>\n<program source>". For each program, stdout gets the
-- program's own output, then SEP, then "E<message>" if it raised an error, "S<message>" if it did
-- not compile (empty otherwise), then SEP.
-- Each program runs as lua.c runs a script: chunk name "=prog", errors caught with a message handler
-- that turns the error object into text as lua.c's msghandler does (without the traceback), and the
-- globals the previous programs added removed before it. Invariant: one program's error never stops
-- the batch.
local SEP = "\0\1SEP\1\0"
local f = assert(io.open(arg[1], "rb"))
local data = f:read("a")
f:close()
local type, tostring, getmetatable, rawget = type, tostring, debug.getmetatable, rawget
local function msgh(m)
  if type(m) == "string" then return m end
  if type(m) == "number" then return tostring(m) end
  local mt = getmetatable(m)
  local h = mt and rawget(mt, "__tostring")
  if h ~= nil then
    local s = h(m)
    if type(s) == "string" then return s end
  end
  return "(error object is a " .. type(m) .. " value)"
end
local base = {}
for k in pairs(_G) do base[k] = true end
local pos = 1
while pos <= #data do
  local len, start = data:match("^(%d+)\n()", pos)
  len = math.tointeger(tonumber(len))
  local src = data:sub(start, start + len - 1)
  pos = start + len
  for k in pairs(_G) do if not base[k] then _G[k] = nil end end
  local fn, err = load(src, "=prog")
  local ok, e, kind = false, err, "S"
  if fn then ok, e = xpcall(fn, msgh) kind = "E" end
  io.write(SEP, ok and "" or kind .. tostring(e), SEP)
  io.stdout:flush()
end
