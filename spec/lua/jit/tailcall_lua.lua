-- `return f(...)` into a Lua function from compiled code (assembly/jit/compile.ts tailcallop: the
-- frame reused and the compiled callee called directly; else jit/helpers.ts luaJ_tailcall):
-- callers wanting 0, 1, 2 or all results; fewer arguments than parameters (nils added), more
-- (ignored); vararg callees and callers; a caller with upvalues to close; a callee that leaves its
-- compiled code mid-way (a type miss, an error with its message and traceback); istailcall seen by
-- the callee; mutual and deep tail recursion. Every function runs many times.

local function three(a, b, c) return a, b, c end
local function sum3(a, b, c) return (a or 0) + (b or 0) + (c or 0) end
local function t_exact(x) return three(x, x + 1, x + 2) end
local function t_fewer(x) return three(x) end
local function t_more(x) return sum3(x, x, x, x, x) end
local function t_va(...) return sum3(...) end
local function vsum(...) local s = 0 for i = 1, select("#", ...) do s = s + select(i, ...) end return s end
local function t_tova(x) return vsum(x, x, x, x) end
local function t_up(x) local f = function() return x end return sum3(f(), x) end
local out = {}
for i = 1, 60 do
  local a, b, c = t_exact(i)
  local d, e = t_fewer(i)
  local n = select("#", t_fewer(i))
  t_exact(i)                                    -- no result wanted
  out[i] = a + b + c + d + (e == nil and 1 or 0) + n + t_more(i) + t_va(i, 1) + t_tova(i) + t_up(i)
end
print(out[1], out[30], out[60])

-- a callee that leaves its compiled code (strings where numbers were) and one that raises
local function add(a, b) return a + b end
local function t_add(a, b) return add(a, b) end
local r = {}
for i = 1, 40 do r[#r + 1] = t_add(i, i) end
r[#r + 1] = t_add("1", 2) r[#r + 1] = t_add(1.5, 2) r[#r + 1] = t_add(7, 3)
print(#r, r[40], r[41], r[42], r[43])
local mt = { __add = function(x, y) return "meta" end }
print(t_add(setmetatable({}, mt), 1))
print(pcall(t_add, {}, 1))
print(select(2, xpcall(t_add, function(m) return m .. " | " .. debug.traceback("tb", 1):gsub("\n%s*", " / ") end, nil, 1)):gsub("%[C%]: in %?", "[C]"))

-- istailcall and the function name seen by a tail-called function
local function who() local i = debug.getinfo(1, "nt") return tostring(i.istailcall) .. " " .. tostring(i.name) end
local function t_who() return who() end
local w
for i = 1, 30 do w = t_who() end
print(w, who())

-- mutual and deep tail recursion (no stack growth, compiled or not)
local isodd
local function iseven(n) if n == 0 then return true end return isodd(n - 1) end
function isodd(n) if n == 0 then return false end return iseven(n - 1) end
local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + 1) end
print(iseven(10001), isodd(7), count(250000, 0))
for i = 1, 20 do count(300, 0) end
print(count(100000, 5))
