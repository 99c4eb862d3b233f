collectgarbage("setpause", 0); -- _G, _ENV and _VERSION.
print(_G._G == _G, _G == _ENV, _VERSION)
print(type(_G), rawget(_G, "print") == print)
x_global = 10
print(_G.x_global, _ENV.x_global, rawget(_G, "x_global"))
_G.y_global = 20
print(y_global)
-- local _ENV changes global resolution
do
  local _ENV = { print = print, z = "inner" }
  print(z, x_global)
end
print(x_global)
-- functions capture _ENV as an upvalue
local function withEnv()
  local _ENV = { tostring = tostring }
  return function() return tostring(missing) end
end
print(withEnv()())
-- standard names are present in _G
local names = { "assert", "collectgarbage", "error", "getmetatable", "ipairs", "load", "next",
  "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "select",
  "setmetatable", "tonumber", "tostring", "type", "xpcall", "string", "table", "math" }
local missing = {}
for _, n in ipairs(names) do if type(_G[n]) == "nil" then missing[#missing + 1] = n end end
print("missing:", #missing)
-- assigning nil removes a global
x_global = nil
print(rawget(_G, "x_global"))
