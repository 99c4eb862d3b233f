-- Every failing slow path of the interpreter loop is caught by the nearest pcall, and the frame
-- that continues has its own registers, constants and upvalues back (execute.ts recovers from
-- errors in one place and reloads the frame there). Each probe fails in one opcode; after the
-- pcall the calling frame reads locals, constants and an upvalue that differ from the failing
-- frame's, and prints the message (the message names the variable, so pc was saved correctly).

local up = "upvalue-of-main"
local nomt = setmetatable({}, {})
local t = {}

local function check(label, ok, msg)
  local mine, konst = 40 + 2, "constant-of-check"   -- registers and a K of this frame
  if type(msg) == "table" then msg = "table with code " .. msg.code end
  print(label, ok, msg, mine, konst, up)
end

local function probe(label, f, ...)
  local before = "local-of-probe"
  local ok, msg = pcall(f, ...)
  check(label, ok, msg)
  assert(before == "local-of-probe")
end

probe("GETTABUP", function () return undefinedglobal.x end)
probe("GETTABLE", function () local a, k = nil, "k"; return a[k] end)
probe("GETI", function () local a; return a[3] end)
probe("GETFIELD", function () local a; return a.field end)
probe("SETTABUP", function () undefinedglobal.x = 1 end)
probe("SETTABLE", function () local a, k = nil, "k"; a[k] = 1 end)
probe("SETI", function () local a; a[3] = 1 end)
probe("SETFIELD", function () local a; a.field = 1 end)
probe("SELF", function () local a; return a:method() end)
probe("ADD/MMBIN", function () local a = {}; return a + 1 end)
probe("MMBINK", function () local a = {}; return a * 2.5 end)
probe("MMBINI", function () local a = {}; return a - 3 end)
probe("MODK 0", function () local a = 7; return a % 0 end)
probe("IDIV 0", function () local a, b = 7, 0; return a // b end)
probe("BAND", function () local a = 1.5; return a & 1 end)
probe("SHRI", function () local a = "x"; return a >> 1 end)
probe("UNM", function () local a = {}; return -a end)
probe("BNOT", function () local a = 2.5; return ~a end)
probe("LEN", function () local a = 5; return #a end)
probe("CONCAT", function () local a, b = "x", {}; return a .. b end)
probe("EQ __eq", function ()
  local mt = {__eq = function () error("eq failed") end}
  local a, b = setmetatable({}, mt), setmetatable({}, mt)
  return a == b
end)
probe("LT", function () local a, b = {}, 1; return a < b end)
probe("LE", function () local a, b = "1", 1; return a <= b end)
probe("LTI", function () local a = {}; return a < 1 end)
probe("GEI", function () local a = {}; return a >= 1 end)
probe("CALL", function () local a = 1; a() end)
probe("CALL __call", function () local a = nomt; a() end)
probe("TAILCALL", function () local a = 1; return a() end)
probe("FORPREP", function () for i = 1, "x" do end end)
probe("FORPREP step 0", function () for i = 1, 10, 0 do end end)
probe("TFORCALL", function () for k in 42 do end end)
probe("TBC", function () local x <close> = 42 end)
probe("TFORPREP", function () for k in next, {}, nil, 42 do end end)
probe("CLOSE __close", function ()
  do local x <close> = setmetatable({}, {__close = function () error("close failed") end}) end
end)
probe("RETURN __close", function ()
  local x <close> = setmetatable({}, {__close = function () error("close on return") end})
  return 1
end)
probe("metamethod", function ()
  local obj = setmetatable({}, {__index = function (_, k) error("no field " .. k) end})
  return obj.missing
end)
probe("native", function () return ("x"):rep(-1, {}) end)
probe("error()", function () error({code = 7}) end)

-- the error is raised several Lua frames below the pcall
local function deep(n) if n == 0 then local z; return z.deep end return (deep(n - 1)) end
probe("deep", deep, 5)

-- a pcall inside a metamethod catches, and the metamethod's frame goes on
local mt = {__add = function (a, b)
  local here = "in __add"
  local ok, msg = pcall(function () local q; return q.inner end)
  return here .. " | " .. tostring(ok) .. " | " .. msg
end}
local v = setmetatable({}, mt) + 1
print(v)

-- nested pcalls: the inner catches, the outer sees a normal return
print(pcall(function ()
  local ok, msg = pcall(function () local q; q.x = 1 end)
  return "outer goes on", ok, msg
end))

-- xpcall: the handler sees the message; the caller continues after it
print(xpcall(function () local a; return a + 1 end, function (m) return "handled: " .. m end))

-- errors inside a coroutine: caught inside it, and escaping it
local co = coroutine.wrap(function (a)
  local ok, msg = pcall(function () local q; return q.x end)
  local b = coroutine.yield(a, ok, msg)
  local ok2, msg2 = pcall(function () return b < {} end)
  coroutine.yield(ok2, msg2)
  local q; return q.escapes
end)
print(co("first"))
print(co(10))
print(pcall(co))

-- a metamethod that yields is no error: the instruction finishes after the resume
local yielding = setmetatable({}, {__index = function (_, k) return coroutine.yield(k) end})
local co2 = coroutine.create(function () local r = yielding.key; return "got " .. r end)
print(coroutine.resume(co2))
print(coroutine.resume(co2, "resumed"))

-- an error in a __close during the unwinding replaces the original error
print(pcall(function ()
  local x <close> = setmetatable({}, {__close = function (_, e) error("close saw: " .. tostring(e), 0) end})
  error("original", 0)
end))

-- a count hook that raises an error is caught like any other error
local n = 0
print(pcall(function ()
  debug.sethook(function () n = n + 1; if n == 3 then debug.sethook(); error("from hook", 0) end end, "", 1)
  local s = 0
  for i = 1, 100 do s = s + i end
  return s
end))

-- and the main chunk's own frame is intact at the end
print("end", up, #t, getmetatable(nomt) ~= nil)
