-- debug.traceback: message handling, levels, and how each kind of frame is named.

-- non-string messages come back untouched; nil and absent give just the traceback
local t = {}
print(debug.traceback(t) == t, debug.traceback(true), debug.traceback(false))
print(debug.traceback(42))                      -- numbers are converted to strings
print(debug.traceback(4.5, 2))
print(debug.traceback(nil))
print(debug.traceback())
print(debug.traceback("at level 0", 0))
print(debug.traceback("past the last level", 50))
print(debug.traceback("negative level", -1))
print(debug.traceback("with\0zero"))            -- the message is cut at a zero byte

-- names of frames: global, local, method, field, upvalue, main chunk, function <file:line>
function globalfn(level) return debug.traceback("global", level) end
local function localfn() return debug.traceback("local") end
local obj = {}
function obj:method() return debug.traceback("method") end
obj.field = function () return debug.traceback("field") end
local up = function () return debug.traceback("upvalue") end
local function callsup() return (up()) end
print(globalfn())
print(globalfn(2))
print(localfn())
print(obj:method())
print(obj.field())
print(callsup())
print((function () return debug.traceback("anonymous") end)())

-- native frames in between: pcall, table.sort comparator, string.gsub callback
print(select(2, pcall(debug.traceback, "through pcall")))
table.sort({3, 1, 2}, function (a, b)
  if a == 3 then print(debug.traceback("in sort")) end
  return a < b
end)
string.gsub("x", "x", function () print(debug.traceback("in gsub")) end)

-- for iterators and metamethods
for _ in function (s, c) if c == nil then print(debug.traceback("iterator")) return 1 end end do end
local mt = {__index = function (t, k) return debug.traceback("index " .. k) end,
            __add = function () return debug.traceback("add") end}
local o = setmetatable({}, mt)
print(o.key)
print(o + 1)

-- tail calls leave a marker
local function tailee() return debug.traceback("tail") end
local function tailer() return tailee() end
print(tailer())

-- traceback as an xpcall message handler sees the erroring frame
local function fails() error("boom") end
print(select(2, xpcall(fails, debug.traceback)))
print(select(2, xpcall(function () local x = nil; return x.y end, debug.traceback)))

-- the main thread given explicitly (registry[1])
local main = debug.getregistry()[1]
print(type(main), debug.traceback(main, "explicit thread"))
print(debug.traceback(main, "explicit level", 2))
print(debug.traceback(main) == debug.traceback(main, nil, 1))

-- deep stacks: the middle levels are skipped
local function deep(n)
  if n == 0 then return debug.traceback("deep") end
  return (deep(n - 1))
end
print(deep(30))
print(deep(19))
print(deep(20))

-- argument errors
print(pcall(debug.traceback, "m", "x"))
print(pcall(debug.traceback, "m", 1.5))
