-- A register GETUPVAL wrote is read from the locals it was loaded into by the units after it in the
-- same block (jit/regcache.ts "Forwarding", functions without loops): by the CALL of it, and by
-- arithmetic on it; a unit that writes that register (ADDI, MOVE, LOADK into it), a block's start
-- and the call itself make the next reads go to the stack again. Every function runs many times,
-- so that it runs compiled (and from its first call with LUA_WASM_JIT_THRESHOLD=0).

local up, upf = 5, 2.5
local function incr() local x = up; x = x + 1; return x * 2 end            -- ADDI writes it
local function movein(b) local x = up; x = b; return x + 1 end              -- MOVE into it
local function kin() local x = up; x = 7; return x + up end                 -- LOADI into it
local function flt() local y = upf; return y * 1.5, y + up end              -- a float, read as one
local function other() local x = up; local z = x + 1; return x, z end       -- a write elsewhere
local function branch(c) local x = up; if c then x = 40 end return x + 1 end   -- another block
local function skip(c)                        -- a block reached by a jump from before the GETUPVAL
  local x = upf
  x = x * 3                                   -- (the locals still hold upf on the jump's path)
  if c then goto out end
  x = up
  ::out::
  return x + 1
end

-- a function held in an upvalue, replaced by the call it makes: the next GETUPVAL reads the new one
local k
local function first() k = function() return "second" end return "first" end
local function twice() k = first return k() .. "," .. k() end

-- recursion through the upvalue of a local function (fib's shape), a tail call through one
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local function count(n, acc) if n == 0 then return acc end return count(n - 1, acc + 1) end

local r = {}
for i = 1, 30 do
  r[1] = incr(); r[2] = movein(i); r[3] = kin()
  r[4], r[5] = flt(); r[6], r[7] = other(); r[8] = branch(i % 2 == 0); r[9] = branch(false)
  r[10] = twice(); r[11] = fib(12); r[12] = count(100, i); r[13] = skip(true); r[14] = skip(false)
end
print(table.concat(r, " "))
up, upf = -3, 0.125                                                          -- the upvalues change
print(incr(), movein(9), kin(), flt(), other(), branch(true), branch(false), skip(true), skip(false))
