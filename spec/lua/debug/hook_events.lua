-- debug.sethook: the events the VM raises (call, tail call, return, line, count) as lua5.4 does.

local function f(x)
  local y = x + 1
  return y
end
local function g(...)
  local a = ...
  return f(a)
end

-- call, tail call, return and line events with the names seen from the hook
local events = {}
debug.sethook(function (ev, line)
  local info = debug.getinfo(2, "nS")
  events[#events + 1] = ev .. " " .. tostring(line) .. " " .. tostring(info.name) .. " " .. info.what
end, "crl")
g(1)
local t = {}
for i = 1, 2 do t[i] = i end
debug.sethook()
for _, e in ipairs(events) do print(e) end

-- count hook: the hook's own instructions use up the count too
local n = 0
debug.sethook(function () n = n + 1 end, "", 10)
for i = 1, 100 do local x = i * 2 end
debug.sethook()
print("count events", n)
n = 0
debug.sethook(function () n = n + 1 end, "", 1)
for i = 1, 100 do local x = i * 2 end
debug.sethook()
print("count events", n)

-- call and return of natives, with transfer information ('r')
local log = {}
debug.sethook(function (ev)
  local info = debug.getinfo(2, "nSr")
  log[#log + 1] = ev .. " " .. tostring(info.name) .. " " .. info.short_src .. " " .. info.ftransfer .. " " .. info.ntransfer
end, "cr")
local s = string.rep("a", 3)
local u = string.upper(s)
debug.sethook()
for _, e in ipairs(log) do print(e) end

-- locals of the hooked function seen from a line hook
local seen = {}
local function target(p, q)
  local r = p * q
  return r
end
debug.sethook(function (ev, line)
  local name, val = debug.getlocal(2, 1)
  if type(val) == "function" then val = "function" end   -- no addresses
  seen[#seen + 1] = line .. ":" .. tostring(name) .. "=" .. tostring(val)
end, "l")
target(6, 7)
debug.sethook()
print(table.concat(seen, " "))

-- a return hook reads the results through ftransfer/ntransfer
local res = {}
local function three() return 1, 2, 3 end
debug.sethook(function (ev)
  local info = debug.getinfo(2, "r")
  if info.ntransfer > 0 then
    local vals = {}
    for i = info.ftransfer, info.ftransfer + info.ntransfer - 1 do
      local _, v = debug.getlocal(2, i)
      vals[#vals + 1] = tostring(v)
    end
    res[#res + 1] = ev .. ":" .. table.concat(vals, ",")
  end
end, "r")
three()
debug.sethook()
print(table.concat(res, " "))

-- an error in a hook propagates to the enclosing pcall
print(pcall(function ()
  debug.sethook(function () debug.sethook(); error("hook failed") end, "l")
  local x = 1
end))
print(debug.gethook())

-- hooks are off inside a hook; a traceback from a hook names it
local tb
debug.sethook(function (ev, line)
  if not tb then tb = debug.traceback("in hook") end
end, "l")
local z = 1
debug.sethook()
print(tb)

-- loops: a backward jump is a new line event even on the same line
local lines = {}
debug.sethook(function (ev, line) lines[#lines + 1] = line end, "l")
local i = 0
while i < 3 do
  i = i + 1
end
repeat i = i - 1 until i == 0
for j = 1, 3 do i = i + j end
debug.sethook()
print(table.concat(lines, " "))

-- a vararg function's call hook comes after its VARARGPREP
local ev2 = {}
local function va(...) return select("#", ...) end
debug.sethook(function (ev, line) ev2[#ev2 + 1] = ev .. ":" .. tostring(line) end, "crl")
va(1, 2)
debug.sethook()
print(table.concat(ev2, " "))

-- metamethods and the hook
local ev3 = {}
local mt = {__add = function (a, b) return 0 end, __index = function () return 1 end}
local o = setmetatable({}, mt)
debug.sethook(function (ev, line)
  local info = debug.getinfo(2, "n")
  ev3[#ev3 + 1] = ev .. ":" .. tostring(info.name) .. ":" .. tostring(info.namewhat)
end, "cr")
local _ = o + 1
_ = o.field
debug.sethook()
print(table.concat(ev3, " "))

-- a hook on another thread only
local co = coroutine.create(function (a)
  local x = a
  return x * 2
end)
local ev4 = {}
debug.sethook(co, function (e, l) ev4[#ev4 + 1] = e .. ":" .. tostring(l) end, "l")
print(debug.gethook(co) ~= nil, debug.gethook() == nil)
print(coroutine.resume(co, 5))
print(table.concat(ev4, " "))
