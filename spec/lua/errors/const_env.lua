-- a compile-time constant _ENV is loaded into a register before globals are indexed through it
local function set()
  local _ENV <const> = 11
  X = "hi"
end
print(pcall(set))
local function get()
  local _ENV <const> = 12
  return Y
end
print(pcall(get))
local function str()
  local _ENV <const> = "abc"
  return type(len)
end
print(pcall(str))
local function inner()
  local _ENV <const> = 13.5
  return function () return Z end
end
print(pcall(inner()))
local function niltab()
  local _ENV <const> = nil
  W = 1
end
print(pcall(niltab))
local function tab()
  local _ENV <const> = {print = print, V = 7}
  print(V)
  V = 8
  print(V)
end
tab()
local function strenv()
  local _ENV <const> = "xyz"
  return #len, upper
end
print(pcall(strenv))
