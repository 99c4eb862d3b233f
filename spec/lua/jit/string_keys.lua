-- t[k] with a string key in a register, in compiled code (assembly/jit/compile.ts strkeyget,
-- strkeyset: the key's own hash walked inline): present keys, absent ones (nil, or __index),
-- keys holding nil (dead), stores into present keys (and into ones holding nil, with and without
-- __newindex), new keys (the helper), long strings (not interned: the helper), numbers that look
-- like strings (no coercion of keys), and errors indexing non-tables. Every function runs many times.

local function get(t, k) return t[k] end
local function set(t, k, v) t[k] = v end
local function getmany(t, keys) local r = {} for i = 1, #keys do r[i] = tostring(t[keys[i]]) end return table.concat(r, ",") end

local long = string.rep("L", 50)
local t = { alpha = 1, beta = "b", [long] = "long value", ["10"] = "ten string", [10] = "ten int" }
local keys = { "alpha", "beta", "gamma", long, "10", "1" .. "0", 10 }
local out
for i = 1, 40 do out = getmany(t, keys) end
print(out)

-- __index when absent or nil; a plain table gives nil
local proxied = setmetatable({ here = "here" }, { __index = function(_, k) return "idx " .. k end })
local chained = setmetatable({}, { __index = { deep = "deep" } })
for i = 1, 30 do out = getmany(proxied, { "here", "gone" }) .. "|" .. getmany(chained, { "deep", "none" }) end
print(out)
proxied.here = nil
for i = 1, 30 do out = getmany(proxied, { "here" }) end
print(out)

-- stores: present keys, keys holding nil, new keys, nil into absent keys
local s = { a = 1, b = 2 }
for i = 1, 30 do set(s, "a", i) set(s, "b", nil) set(s, "b", i * 2) set(s, "c" .. i % 3, i) set(s, "zz", nil) end
print(s.a, s.b, s.c0, s.c1, s.c2, rawget(s, "zz"))
-- __newindex sees stores into absent keys and keys holding nil, not present ones
local seen = {}
local guarded = setmetatable({ p = 1, q = 2 }, { __newindex = function(t, k, v) seen[#seen + 1] = k rawset(t, k, v) end })
guarded.q = nil
for i = 1, 20 do set(guarded, "p", i) end
set(guarded, "q", 5) set(guarded, "r", 6)
for i = 1, 20 do set(guarded, "q", i) end
print(table.concat(seen, ","), guarded.p, guarded.q, guarded.r)

-- the metamethod-absence flags cleared by a store of a "__" key through a register key
local mt = {}
local obj = setmetatable({}, mt)
for i = 1, 20 do out = get(obj, "x") end
local idx = "__index"
set(mt, idx, { x = "now found" })
print(out, get(obj, "x"))

-- indexing non-tables: lua5.4's messages; strings index the string library
print(pcall(get, nil, "k"))
print(pcall(get, 42, "k"))
print(get("abc", "len") == string.len)
print(pcall(set, nil, "k", 1))
print(pcall(set, "str", "k", 1))
