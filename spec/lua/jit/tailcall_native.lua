-- The JIT's `return native(...)` (assembly/jit/helpers.ts luaJ_tailcall, which also does the RETURN
-- that follows) against the interpreter's: results counted by callers wanting 0, 1, 2 or all; a
-- vararg function (its RETURN restores the frame's function slot); a closure with upvalues (a
-- TAILCALL and RETURN with k); a native that errors; a __call chain ending in a native; return hooks
-- seeing each return. Every function runs many times so that, with the JIT on, its compiled code
-- does the work.

local mt = {}
local function mk(x) return setmetatable({ x = x }, mt) end
local function two(a) return math.max(a, 1), select("#", a) end
local function vmax(...) return math.max(...) end
local function vsel(n, ...) return select(n, ...) end
local function withup(a) local up = a local f = function() return up end return tostring(f()) end
local callable = setmetatable({}, { __call = function(self, v) return v * 2 end })
local viacall = setmetatable({ 1, 2, 3 }, { __call = rawlen })
local function callit(v) return viacall(v) end
local s, c, t = 0, 0, {}
for i = 1, 500 do
  local o = mk(i)
  s = s + o.x + (getmetatable(o) == mt and 1 or 0)
  local a, b = two(i)
  s = s + a + b
  s = s + vmax(i, 3, 7) + select("#", vsel(2, i, i + 1, i + 2))
  t[#t + 1] = withup(i)
  s = s + callable(i) + callit(-i)
  vmax(1, 2)                                   -- no result wanted
  c = c + select("#", two(i))                  -- all results
end
print(s, c, #t, t[1], t[500])

-- a native raising an error from a tail call: message and position as the interpreter's
local function bad(x) return math.floor(x) end
local ok = 0
for i = 1, 300 do if pcall(bad, i) then ok = ok + 1 end end
print(ok, pcall(bad, "x"), pcall(bad, {}))

-- return hooks: every return of a function that tail-calls a native is seen
local rets = 0
local function tc(x) return math.abs(x) end
for i = 1, 300 do tc(i) end
debug.sethook(function(ev) if ev == "return" or ev == "tail call" then rets = rets + 1 end end, "r")
for i = 1, 10 do tc(-i) end
debug.sethook()
print(rets >= 20, tc(-5))
