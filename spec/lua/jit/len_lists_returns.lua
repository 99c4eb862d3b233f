-- The JIT's LEN (a table's border at its length hint, else the interpreter's luaH_getn and __len),
-- reads of empty array slots and of keys past the array part (nil, or __index), SETLIST through
-- its helper (constructors, with a multiple-result call last), and RETURN0/RETURN1 to callers that
-- want all results. Every function runs many times so that, with the JIT on, compiled code runs.

local function len(t) return #t end
local function lens(t, n) local s = 0 for i = 1, n do s = s + #t end return s end

-- appends (the border at the hint), holes (luaH_getn's search moves the hint), hash parts
local app = {}
for i = 1, 100 do app[#app + 1] = i * 2 end
print(#app, len(app), lens(app, 10))
local holes = { 1, 2, 3, nil, 5, 6, nil, nil }
print(len(holes), lens(holes, 5))
local sparse = { 1, 2, 3, 4 } sparse[6] = 6 sparse[5] = 5
print(len(sparse), lens(sparse, 3))
local mixed = { 1, 2, 3, x = 1, y = 2 }
print(len(mixed), lens(mixed, 4))
local shrunk = {} for i = 1, 16 do shrunk[i] = i end for i = 16, 9, -1 do shrunk[i] = nil end
print(len(shrunk), lens(shrunk, 4))
print(len({}), len({ nil }), len({ n = 1 }), len(""), len("abc"))

-- __len, and its absence cached then a __len stored into a present nil slot of the metatable
local counted = setmetatable({ 1, 2 }, { __len = function() return 42 end })
print(len(counted), lens(counted, 3))
local lmt = { __len = 1 } lmt.__len = nil
local lt = setmetatable({ 1, 2, 3 }, lmt)
print(lens(lt, 5))
local function setlen(m, f) m.__len = f end
setlen(lmt, function() return -1 end)
print(lens(lt, 5))
print(pcall(len, 7))
print(pcall(lens, nil, 2))

-- reads of empty slots and absent keys: nil, or __index
local function geti(t) return t[1], t[3] end
local function gett(t, k) local v for i = 1, 10 do v = t[k] end return v end
print(geti({}), geti({ nil, nil, nil }), geti({ 1, 2, 3 }))
print(gett({}, 1), gett({ 1, 2 }, 2), gett({ 1, 2 }, 9), gett({ [9] = "h" }, 9), gett({}, -1))
local dflt = setmetatable({}, { __index = function(_, k) return "d" .. k end })
print(geti(dflt), gett(dflt, 7))
local chained = setmetatable({ nil, "own" }, { __index = { "up1", "up2", "up3" } })
print(geti(chained), gett(chained, 2), gett(chained, 3))
print(pcall(geti, nil))

-- constructors: fixed items, a multiple-result call last, nested
local function three() return 1, 2, 3 end
local function none() end
local function one() return "one" end
local function build(n)
  local out = {}
  for i = 1, n do out[i] = { i, three() } end
  return out
end
local b = build(30)
print(#b, #b[1], b[30][1], b[30][4])
local function shapes() return { none() }, { one() }, { one(), one() }, { three(), three() } end
for i = 1, 20 do local a, c, d, e = shapes() if i == 20 then print(#a, #c, c[1], #d, #e, e[4]) end end
local function tree(d) if d == 0 then return {} end return { tree(d - 1), tree(d - 1) } end
local function count(t) if t[1] then return 1 + count(t[1]) + count(t[2]) end return 1 end
print(count(tree(10)))

-- RETURN0 / RETURN1 into calls that want every result
local function r1(x) return x end
local function r0() return end
local function pack(...) return select("#", ...), ... end
local acc = 0
for i = 1, 50 do local n, v = pack(r1(i)) acc = acc + n + v end
print(acc, pack(r0()), pack(r1(nil)), select("#", r0()), select("#", r1()))
print(table.unpack({ r1(5), r0() }), #{ r0(), r0() }, #{ r1(1), r1(2) })
