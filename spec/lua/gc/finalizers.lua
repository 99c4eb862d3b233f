-- __gc finalizers: when they run, order, resurrection, errors, and the "set at setmetatable" rule.
local log = {}
local function mk(name)
  return setmetatable({ name = name }, { __gc = function(o) log[#log + 1] = o.name end })
end

do local a, b, c = mk("a"), mk("b"), mk("c") end
collectgarbage()
print("reverse order of marking:", table.concat(log, " "))

-- __gc added after setmetatable does not count (5.4: the field must be there at setmetatable)
log = {}
do
  local mt = {}
  local o = setmetatable({}, mt)
  mt.__gc = function() log[#log + 1] = "late" end
end
collectgarbage()
print("late __gc ignored:", #log)

-- a finalizer runs once, even if it resurrects its object
log = {}
local saved
do
  setmetatable({ id = 7 }, { __gc = function(o) log[#log + 1] = "fin" .. o.id; saved = o end })
end
collectgarbage()
print("resurrected:", saved and saved.id, table.concat(log, " "))
saved = nil
collectgarbage()
collectgarbage()
print("runs once:", table.concat(log, " "))

-- an error inside __gc is not propagated (it becomes a warning)
do setmetatable({}, { __gc = function() error("boom in gc") end }) end
print("gc with failing finalizer:", pcall(collectgarbage))
print("still running:", 1 + 1)

-- weak values are cleared before finalizers run
local weak = setmetatable({}, { __mode = "v" })
local seen
do
  local o = setmetatable({}, { __gc = function(o) seen = weak[1] end })
  weak[1] = o
end
collectgarbage()
print("weak value cleared before finalizer:", seen)

-- collectgarbage inside a finalizer
local inner
do setmetatable({}, { __gc = function() inner = collectgarbage("count") end }) end
collectgarbage()
print("collectgarbage inside __gc returns:", inner)

-- finalizers of userdata-like objects created in loops
log = {}
for i = 1, 5 do mk("o" .. i) end
collectgarbage()
table.sort(log)
print("loop objects finalized:", table.concat(log, " "))
