-- Variadic functions: ..., select('#'), negative select, table.pack.
local function count(...) return select("#", ...) end
print(count(), count(nil), count(nil, nil), count(1, nil, 3, nil))
local function all(...) return ... end
print(all(1, 2, 3))
print((all(1, 2, 3)))
print(all())
print(select(2, "a", "b", "c"))
print(select(-1, "a", "b", "c"))
print(select(-2, "a", "b", "c"))
print(select(-3, "a", "b", "c"))
print(select(3, "a", "b", "c"))
print(select(4, "a", "b", "c"))
print(select("#"))
print(pcall(select, -4, "a", "b", "c"))
print(pcall(select, 0, "a"))
print(pcall(select, "x"))
print(pcall(select))
-- table.pack keeps n with trailing nils
local p = table.pack(1, nil, nil)
print(p.n, #{ n = 0 }, p[1], p[2])
-- varargs in the middle of a list are truncated to one value
local function mid(...) return ..., "end" end
print(mid(1, 2, 3))
print(mid())
-- varargs passed through several levels
local function pass(...) return all(...) end
print(pass("x", nil, "z"))
print(count(pass(nil, nil, nil)))
-- named params plus varargs
local function named(a, b, ...) return a, b, select("#", ...), ... end
print(named(1))
print(named(1, 2, 3, 4))
-- ... in table constructors and as arguments
local function sum(...)
  local s = 0
  for _, v in ipairs({ ... }) do s = s + v end
  return s
end
print(sum(), sum(1), sum(1, 2, 3, 4, 5))
-- many arguments
local big = {}
for i = 1, 200 do big[i] = i end
print(count(table.unpack(big)), sum(table.unpack(big)))
-- varargs of the main chunk
print(count(...))
-- extra arguments are discarded, missing ones are nil
local function two(a, b) return a, b end
print(two(1, 2, 3), two(1))
