-- utf8 functions over pseudo-random valid and invalid byte sequences, strict and lax.
local x = 3
local function rnd() x = (x * 1103515245 + 12345) % 2147483648 return x end
local pieces = {"a", "\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9D\x84\x9E", "\x80", "\xC0\x80", "\xFF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\xFD\xBF\xBF\xBF\xBF\xBF", "\xE2\x82", "\0"}
for i = 1, 120 do
  local s = {}
  for j = 1, rnd() % 6 do s[#s + 1] = pieces[rnd() % #pieces + 1] end
  s = table.concat(s)
  local i1, j1 = rnd() % (#s + 3) - 1, rnd() % (#s + 3) - 2
  local r = {}
  local function add(...) local n = select("#", ...) local p = {} for k = 1, n do p[k] = tostring((select(k, ...))) end r[#r + 1] = table.concat(p, ",") end
  add(pcall(utf8.len, s)) add(pcall(utf8.len, s, i1, j1)) add(pcall(utf8.len, s, 1, -1, true))
  add(pcall(utf8.codepoint, s, i1, j1)) add(pcall(utf8.codepoint, s, 1, -1, true))
  add(pcall(utf8.offset, s, i1 - 2, j1 + 1)) add(pcall(utf8.offset, s, i1)) add(pcall(utf8.offset, s, -i1))
  add(pcall(function() local o = {} for p, c in utf8.codes(s) do o[#o + 1] = p .. ":" .. c end return table.concat(o, " ") end))
  add(pcall(function() local o = {} for p, c in utf8.codes(s, true) do o[#o + 1] = p .. ":" .. c end return table.concat(o, " ") end))
  print(i, table.concat(r, " | "))
end
