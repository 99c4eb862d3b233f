-- Weak tables: __mode "k", "v" and "kv", ephemerons, and what is never removed (strings, numbers).
local function count(t) local n = 0 for _ in pairs(t) do n = n + 1 end return n end

-- weak values: collected values disappear, strings/numbers/booleans stay
local wv = setmetatable({}, { __mode = "v" })
wv[1] = {}                       -- only referenced here
wv[2] = "a string"
wv[3] = 42
wv[4] = true
local keep = {}
wv[5] = keep
collectgarbage()
print("weak v:", wv[1], wv[2], wv[3], wv[4], wv[5] == keep, count(wv))

-- weak keys: entries with collected keys disappear
local wk = setmetatable({}, { __mode = "k" })
wk[{}] = "gone"
local k2 = {}
wk[k2] = "kept"
wk["str"] = "string keys stay"
collectgarbage()
print("weak k:", count(wk), wk[k2], wk.str)

-- kv
local wkv = setmetatable({}, { __mode = "kv" })
wkv[{}] = 1
wkv[1] = {}
wkv[keep] = keep
collectgarbage()
print("weak kv:", count(wkv), wkv[keep] == keep)

-- ephemeron: a value that refers only to its own key does not keep the key alive
local eph = setmetatable({}, { __mode = "k" })
do
  local key = {}
  eph[key] = { ref = key }
end
collectgarbage()
print("ephemeron cleared:", count(eph))

-- an ephemeron chain: k1 -> v1 refers to k2 -> v2; k1 alive keeps the whole chain
local chain = setmetatable({}, { __mode = "k" })
local k1 = {}
do
  local k2 = {}
  chain[k1] = { next = k2 }
  chain[k2] = { last = true }
end
collectgarbage()
print("ephemeron chain kept:", count(chain))
k1 = nil
collectgarbage()
print("ephemeron chain after dropping k1:", count(chain))

-- closures as weak values
local wf = setmetatable({}, { __mode = "v" })
wf.f = function() return 1 end
local g = function() return 2 end
wf.g = g
collectgarbage()
print("weak functions:", wf.f, wf.g == g)

-- changing the mode after creation is honoured at the next collection
local later = {}
later[{}] = 1
setmetatable(later, { __mode = "k" })
collectgarbage()
print("mode set later:", count(later))
