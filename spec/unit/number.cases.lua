-- number.cases.lua - the lua5.4 side of spec/unit/number.test.ts: reads one case per line from the
-- file named in arg[1] and prints one result line per case, in a form the test compares verbatim.
--   F <bits> <format>        string.format(format, x)
--   G <integer> <format>     string.format(format, i)
--   T <bits>                 tostring(x)
--   I <integer>              tostring(i)
--   N <hex bytes>            tonumber(s)            -> nil | i <int> | f <bits>
--   A <op> <t1> <v1> <t2> <v2>  v1 op v2 (t: i = integer, f = float bits) -> fail | i <int> | f <bits>
--   C <bits> <mode>          float -> integer (0 eq, 1 floor, 2 ceil) -> fail | i <int>
local function tofloat(h) return (string.unpack("<d", string.pack("<i8", tonumber("0x" .. h)))) end
local function bits(x) return string.format("%016x", (string.unpack("<i8", string.pack("<d", x)))) end
local function num(v)
  if math.type(v) == "integer" then return "i " .. string.format("%d", v)
  elseif math.type(v) == "float" then return "f " .. bits(v)
  else return "nil" end
end
local ops = {
  [0] = function(a, b) return a + b end, function(a, b) return a - b end,
  function(a, b) return a * b end, function(a, b) return a % b end,
  function(a, b) return a ^ b end, function(a, b) return a / b end,
  function(a, b) return a // b end, function(a, b) return a & b end,
  function(a, b) return a | b end, function(a, b) return a ~ b end,
  function(a, b) return a << b end, function(a, b) return a >> b end,
  function(a) return -a end, function(a) return ~a end,
}
local function operand(t, v) if t == "i" then return math.tointeger(tonumber(v)) else return tofloat(v) end end
local out = {}
for line in io.lines(arg[1]) do
  local kind, rest = line:match("^(%a) (.*)$")
  local r
  if kind == "F" then
    local h, f = rest:match("^(%x+) (.*)$")
    r = string.format(f, tofloat(h))
  elseif kind == "G" then
    local v, f = rest:match("^(%S+) (.*)$")
    r = string.format(f, math.tointeger(tonumber(v)))
  elseif kind == "T" then r = tostring(tofloat(rest))
  elseif kind == "I" then r = tostring(math.tointeger(tonumber(rest)))
  elseif kind == "N" then
    local s = rest:gsub("%x%x", function(h) return string.char(tonumber(h, 16)) end)
    r = num(tonumber(s))
  elseif kind == "A" then
    local op, t1, v1, t2, v2 = rest:match("^(%d+) (%a) (%S+) (%a) (%S+)$")
    local ok, v = pcall(ops[tonumber(op)], operand(t1, v1), operand(t2, v2))
    r = ok and num(v) or "fail"
  elseif kind == "C" then
    local h, mode = rest:match("^(%x+) (%d)$")
    local x = tofloat(h)
    local v
    if mode == "0" then v = math.tointeger(x)
    elseif mode == "1" then v = math.floor(x) else v = math.ceil(x) end
    r = math.type(v) == "integer" and num(v) or "fail"
  end
  out[#out + 1] = r
end
io.write(table.concat(out, "\n"), "\n")
