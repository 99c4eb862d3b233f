-- empty_slot_stores.lua - stores into empty array slots and cleared entries (the interpreter assigns
-- them in place when the table has no metatable, vm/execute.ts intslotset), and every case where
-- __newindex must still be consulted.

-- appending and filling: the array part grows, slots past the border are empty until assigned
local t = {}
for i = 1, 20 do t[#t + 1] = i * i end
for i = 21, 40 do t[i] = i end
print(#t, t[1], t[20], t[40])

-- a hole made by nil, then filled again
local h = { 1, 2, 3, 4 }
h[2] = nil
h[2] = "two"
print(h[1], h[2], h[3], #h)

-- __newindex sees stores into empty slots (array part and hash part), not into present ones
local log = {}
local mt = { __newindex = function (tb, k, v) log[#log + 1] = k .. "=" .. tostring(v); rawset(tb, k, v) end }
local w = setmetatable({ 1, 2, nil, 4 }, mt)
w[3] = 30          -- an empty array slot: __newindex
w[1] = 10          -- present: raw
w[5] = 50          -- past the array: __newindex
w[5] = 55          -- now present: raw
w[2] = nil         -- present: raw (clears it)
w[2] = 20          -- cleared: __newindex again
local ki = 7
w[ki] = 70         -- a register key
print(table.concat(log, " "), w[1], w[2], w[3], w[5], w[7])

-- a metatable without __newindex stores raw, also into empty slots
local plain = setmetatable({ nil, nil, nil }, { __index = function () return "dflt" end })
plain[2] = "b"
print(plain[1], plain[2], rawget(plain, 3))

-- a __newindex table redirects the store
local sink = {}
local redirect = setmetatable({ [3] = false }, { __newindex = sink })
redirect[1] = "x"; redirect[3] = "present"
print(rawget(redirect, 1), sink[1], redirect[3])

-- a weak table keeps working
local weak = setmetatable({}, { __mode = "v" })
for i = 1, 5 do weak[i] = {} end
print(#weak >= 0)

-- a float key with an integer value goes to the same slot
local f = {}
f[1.0] = "one"; f[2] = "two"
print(f[1], f[2.0], #f)
