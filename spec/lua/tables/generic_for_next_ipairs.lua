-- generic_for_next_ipairs.lua - `for ... in pairs/ipairs/next` over plain tables, and every case the
-- interpreter's in-place iteration (vm/ops.ts luaV_forcallfast) must hand back to a real call.

-- pairs and next: one, two and three loop variables (the third is always nil)
local t = { 10, 20, 30, x = "a", y = "b" }
local n, sum = 0, 0
for k in pairs(t) do n = n + 1 end
for k, v in next, t do if type(v) == "number" then sum = sum + v end end
local extras = 0
for k, v, w in pairs(t) do assert(w == nil); extras = extras + 1 end
print("pairs", n, sum, extras)

-- clearing fields during traversal is allowed
local big = {}
for i = 1, 100 do big["k" .. i] = i; big[i] = i end
local seen = 0
for k, v in pairs(big) do big[k] = nil; seen = seen + 1 end
print("cleared", seen, next(big))

-- an empty table, and a table whose only entries are in the hash part
for k, v in pairs({}) do error("never") end
local h = 0
for k, v in pairs({ a = 1, b = 2, [1.5] = 3, [true] = 4 }) do h = h + v end
print("hash", h)

-- next with a key that is not in the table: the error comes from next itself
local ok, msg = pcall(function () for k, v in next, { a = 1 }, "nope" do end end)
print("badkey", ok, msg)

-- ipairs stops at the first nil; one, two and three variables
local arr = { 1, 2, 3, nil, 5 }
local c = 0
for i in ipairs(arr) do c = c + 1 end
local s = 0
for i, v, w in ipairs(arr) do assert(w == nil); s = s + i * v end
print("ipairs", c, s)

-- ipairs respects __index for absent entries, and a metatable without one
local proxy = setmetatable({ 1, 2 }, { __index = function (_, i) if i <= 4 then return i * 10 end end })
local got = {}
for i, v in ipairs(proxy) do got[#got + 1] = v end
print("ipairs __index", table.concat(got, ","))
local withmt = setmetatable({ "a", "b" }, {})
local cnt = 0
for i, v in ipairs(withmt) do cnt = cnt + 1 end
print("ipairs mt", cnt)

-- a control variable that is not an integer (the loop's hidden state, changed through debug)
local f = ipairs({ "x", "y", "z" })
for i, v in f, { "x", "y", "z" }, 1.0 do print("float control", i, v) end

-- __pairs and a non-table state go through real calls
local pt = setmetatable({}, { __pairs = function (t) return function (_, k) if not k then return 1, "one" end end, t, nil end })
for k, v in pairs(pt) do print("__pairs", k, v) end
print(pcall(function () for k in next, 42 do end end))
print(pcall(function () for k in ipairs() do end end))

-- ipairs at the top of the integer range wraps, as luaL_intop does
local edge = { [math.mininteger] = "min" }
local it, st = ipairs(edge)
print("wrap", it(st, math.maxinteger))

-- a call hook sees every call of next and of ipairs' iterator
local calls = 0
debug.sethook(function () calls = calls + 1 end, "c")
for k, v in pairs({ 1, 2, 3 }) do end
for i, v in ipairs({ 1, 2, 3 }) do end
debug.sethook()
print("hooked calls", calls)

-- a loop that yields between iterations resumes where it was
local co = coroutine.wrap(function ()
  for i, v in ipairs({ "a", "b", "c", "d" }) do
    coroutine.yield(i, v)
  end
end)
print("yielding loop", co()); print(co()); print(co())

-- errors raised by the loop body keep their position
print(pcall(function () for k, v in pairs({ 1 }) do local x = v .. {} end end))
