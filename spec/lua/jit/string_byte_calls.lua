-- string.byte called from compiled code (jit/helpers.ts fastbyte: one byte of a string by an
-- integer index inside it, without the native's frame; anything else runs the native): indices
-- inside, at the ends, 0, negative, past the end, floats and strings as indices, numbers as the
-- string, several bytes, errors with lua5.4's messages, results wanted 0, 1, 2 or all, a method
-- call, and a string.byte replaced by a Lua function. Every function runs many times.

local byte = string.byte
local function b1(s, i) return byte(s, i) end
local function b0(s) local x = byte(s) return x end
local function bm(s, i) return s:byte(i) end
local function ball(s, i) return select("#", byte(s, i)), byte(s, i) end
local function b2(s, i) local x, y = byte(s, i) return x, y end
local function bnone(s, i) byte(s, i) return "none" end
local function bmany(s, i, j) return byte(s, i, j) end
local s = "hello, world\0\255"
local out = {}
for r = 1, 40 do
  local t = {}
  for i = 1, #s do t[#t + 1] = b1(s, i) + bm(s, i) end
  t[#t + 1] = b0(s)
  t[#t + 1] = select(2, ball(s, 3))
  local x, y = b2(s, 5)
  t[#t + 1] = x t[#t + 1] = tostring(y)
  t[#t + 1] = bnone(s, 2)
  out[r] = table.concat(t, ",")
end
print(out[1] == out[40], out[40])

-- outside the string, negative, zero, float and string indices, numbers as the string
local cases = { { s, 0 }, { s, -1 }, { s, -14 }, { s, -100 }, { s, #s + 1 }, { s, 2.0 }, { s, "3" }, { "", 1 },
  { 12345, 2 }, { 3.5, 2 }, { s, math.maxinteger }, { s, math.mininteger } }
for r = 1, 30 do
  for _, c in ipairs(cases) do
    local p = table.pack(b1(c[1], c[2]))
    out[#out + 1] = p.n .. ":" .. tostring(p[1])
  end
end
print(table.concat(out, " ", 41, 41 + #cases - 1))
for r = 1, 20 do out[r] = table.concat({ bmany(s, 2, 5) }, ",") .. "|" .. table.concat({ bmany(s, -3, -1) }, ",") end
print(out[20])

-- errors: the native's messages
for _, v in ipairs({ {}, true, nil }) do print(pcall(b1, v, 1)) end
print(pcall(b1, s, {}))
print(pcall(b1, s, 1.5))
print(pcall(b1, s, "x"))
print(pcall(function() return byte() end))

-- a replaced string.byte: the Lua function runs
local calls = 0
local saved = string.byte
string.byte = function(str, i) calls = calls + 1 return saved(str, i) end
local function viaglobal(str, i) return string.byte(str, i) end
local function viamethod(str, i) return str:byte(i) end
local sum = 0
for i = 1, 30 do sum = sum + viaglobal("abc", 1) + viamethod("abc", 2) end
string.byte = saved
print(calls, sum)
