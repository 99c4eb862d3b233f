-- return_hook_after_close.lua - a __close handler that arms a return hook: the return it runs in is
-- reported (the fast loop tests hooks after __close, vm/execute.ts OP_RETURN), as lua5.4 does.
local events = {}
local function f()
  local x <close> = setmetatable({}, { __close = function ()
    debug.sethook(function (ev)
      local info = debug.getinfo(2, "S")
      events[#events + 1] = ev .. "@" .. info.linedefined
    end, "r")
  end })
  return 1, 2
end
print(f())
debug.sethook()
print(table.concat(events, " "))
