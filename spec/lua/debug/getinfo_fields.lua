-- debug.getinfo: every field, level and function arguments, option errors.

local function sorted(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys)
  local out = {}
  for _, k in ipairs(keys) do
    local v = t[k]
    if type(v) == "table" then
      local lines = {}
      for l in pairs(v) do lines[#lines + 1] = l end
      table.sort(lines)
      v = "{" .. table.concat(lines, ",") .. "}"
    elseif type(v) == "function" then
      v = "function"
    end
    out[#out + 1] = k .. "=" .. tostring(v)
  end
  return table.concat(out, " ")
end

local function f(a, b)
  local c = a + b
  return c
end

local function g(...)
  local n = select("#", ...)
  return n
end

print(sorted(debug.getinfo(f)))
print(sorted(debug.getinfo(g)))
print(sorted(debug.getinfo(print)))
print(sorted(debug.getinfo(f, "S")))
print(sorted(debug.getinfo(f, "L")))
print(sorted(debug.getinfo(g, "L")))
print(sorted(debug.getinfo(print, "L")))
print(sorted(debug.getinfo(f, "u")))
print(sorted(debug.getinfo(string.format, "u")))
print(sorted(debug.getinfo(f, "")))
print(sorted(debug.getinfo(f, "nt")))
print(debug.getinfo(f, "f").func == f, debug.getinfo(print, "f").func == print)

-- levels: 0 is getinfo itself, 1 the caller, then its callers
local function level(n, what) return debug.getinfo(n, what) end
print(sorted(level(0, "nSl")))
print(sorted(level(1, "nSlt")))
print(sorted(level(2, "nSltu")))
print(sorted(level(3, "Sl")))
print(level(4), level(100), level(-1))
print(debug.getinfo(1, "l").currentline)

local function lines()
  local i1 = debug.getinfo(1, "l").currentline
  local i2 = debug.getinfo(1, "l").currentline
  return i1, i2
end
print(lines())

-- name and namewhat from the calling instruction
local t = {}
function t.field() return debug.getinfo(1, "n") end
function t:method() return debug.getinfo(1, "n") end
function globalf() return debug.getinfo(1, "n") end
local function localf() return debug.getinfo(1, "n") end
print(sorted(t.field()))
print(sorted(t:method()))
print(sorted(globalf()))
print(sorted(localf()))
print(sorted((function () return debug.getinfo(1, "n") end)()))
local mt = setmetatable({}, {__index = function () return debug.getinfo(1, "n") end,
  __concat = function () return debug.getinfo(1, "n") end})
print(sorted(mt.x))
print(sorted(mt .. "s"))
for _ in function (_, c) if not c then return debug.getinfo(1, "n") end end do
  print(sorted(_)) break
end
local function tail() return debug.getinfo(1, "nt") end
local function calltail() return tail() end
print(sorted(calltail()))
print(sorted(select(2, pcall(debug.getinfo, 1, "n"))))

-- chunk names and short_src
local chunk = load("return debug.getinfo(1, 'S')", "=custom")
print(sorted(chunk()))
chunk = load("return debug.getinfo(1, 'S')", "@some/file.lua")
print(sorted(chunk()))
chunk = load("\n  return debug.getinfo(1, 'S')")
print(sorted(chunk()))
chunk = load("local function inner() return debug.getinfo(1, 'S') end return inner()", "=(load)")
print(sorted(chunk()))

-- the main thread as explicit first argument
local main = debug.getregistry()[1]
print(sorted(debug.getinfo(main, 1, "Sl")))
print(debug.getinfo(main, 50))

-- errors
print(pcall(debug.getinfo, 1, ">S"))
print(pcall(debug.getinfo, 1, "Sx"))
print(pcall(debug.getinfo, f, "q"))
print(pcall(debug.getinfo, 50, "q"))
print(pcall(debug.getinfo, "x"))
print(pcall(debug.getinfo))
print(pcall(debug.getinfo, 1, 2))
print(pcall(debug.getinfo, 1, {}))
