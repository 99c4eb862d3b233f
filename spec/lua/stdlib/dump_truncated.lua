-- A binary chunk cut at any length, or with a corrupted header byte, fails to load with
-- "bad binary format (...)"; it never crashes, and the state stays usable.

local function sample(a, b, ...)
  local t = {a, b, ..., x = "field", [1.5] = 2^60}
  local function inner(z) return z and t or nil end
  for i = 1, #t do t[i] = tostring(t[i]) .. "!" end
  return inner(true), select("#", ...)
end

for _, strip in ipairs({false, true}) do
  local s = string.dump(sample, strip)
  local alltrunc, other = true, nil
  for n = 1, #s - 1 do
    local f, msg = load(s:sub(1, n), "=cut", "b")
    if f ~= nil or msg ~= "cut: bad binary format (truncated chunk)" then alltrunc, other = false, msg end
  end
  print("strip", strip, "every prefix truncated:", alltrunc, other)
  local f = load(s, "=whole", "b")
  print("whole chunk loads:", type(f), select(2, f(1, 2, 3, 4)))
end

-- header corruption: the same messages as PUC (the header layout is the same)
local s = string.dump(sample)
local function patch(pos, byte) return s:sub(1, pos - 1) .. string.char(byte) .. s:sub(pos + 1) end
for _, case in ipairs({{2, 0}, {3, 0}, {4, 0}, {5, 0x53}, {5, 0x55}, {6, 0x77}, {7, 0}, {12, 0},
    {13, 8}, {14, 4}, {15, 4}, {16, 0}, {23, 1}, {30, 0}, {31, 0x41}}) do
  local pos, byte = case[1], case[2]
  local f, msg = load(patch(pos, byte))
  print(pos, f, msg)
end

-- names used in the messages
print(load(s:sub(1, 20), "@file.lua"))
print(load(s:sub(1, 20), "=(stdin)"))
print(load(s:sub(1, 20), "plain"))
print(load(s:sub(1, 20)))
print(load("\27"))
print(load("\27Lux"))
-- the state is still fine
print(sample(1, 2, 3) ~= nil, type(load(s)(7, 8)), select(2, load(s)(7, 8)))
