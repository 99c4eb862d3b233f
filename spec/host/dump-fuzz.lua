-- dump-fuzz.lua - mutates binary chunks (string.dump output) and loads them: every mutant must load
-- as a function or fail with "bad binary format (...)" / "not enough memory" (or, when the first
-- byte was hit, the text-chunk mode error); with "run", loaded
-- mutants are also called (in a small sandbox environment) and must return or raise a Lua error.
-- Driven by spec/host/dump-fuzz.test.ts: in-process (load only) and through the CLI (run), as
--   lua-wasm spec/host/dump-fuzz.lua <seed> <first> <count> [run]      (seed 0: systematic mutants)
-- Prints one summary line "loaded=N rejected=N bad=N" (bad: anything breaking the rule above,
-- also listed as "BAD <index> <message>"), and with "run" a line "ran <index>" before each call.

local bases = {}
bases[1] = function(a, b, ...)
  local t = {a, b, ..., x = "field", [1.5] = 2^60}
  local function inner(z) return z and t or nil end
  for i = 1, #t do t[i] = tostring(t[i]) .. "!" end
  return inner(true), select("#", ...)
end
bases[2] = function(n)
  local acc, s = {}, 0
  for i = 1, (n or 5) do acc[#acc + 1] = function() s = s + i; return s end end
  for k, f in ipairs(acc) do s = s + f() * k end
  local obj = {v = 3, get = function(self, d) return self.v + d end}
  local r = obj:get(4) .. "|" .. #acc
  do local c <close> = setmetatable({}, {__close = function() s = s + 1 end}) end
  local i = 0
  ::again:: i = i + 1
  if i < 3 then goto again end
  while i < 5 do i = i + 1 end
  return r, s, i, math.type(i // 2), 7 % 3, 2.0 ^ 3, 5 & 3, ~0, 1 << 4, -i, not i, #r
end
bases[3] = load("local t = {} " .. string.rep("t[#t+1] = 'k' .. #t .. 1.25 ", 40) ..
  "local o = {} function o:m(x) return x, #t end return o:m(t[40])")

local function mutate(s)
  local n = #s
  if n == 0 then return "\27" end
  local kind = math.random(7)
  local pos = math.random(n)
  if kind == 1 then                                  -- flip 1-4 bits
    local b = {s:byte(1, -1)}
    for _ = 1, math.random(4) do
      local p = math.random(n)
      b[p] = b[p] ~ (1 << math.random(0, 7))
    end
    local parts = {}
    for i = 1, #b, 4000 do parts[#parts + 1] = string.char(table.unpack(b, i, math.min(i + 3999, #b))) end
    return table.concat(parts)
  elseif kind == 2 then                              -- one random byte
    return s:sub(1, pos - 1) .. string.char(math.random(0, 255)) .. s:sub(pos + 1)
  elseif kind == 3 then                              -- truncate
    return s:sub(1, pos - 1)
  elseif kind == 4 then                              -- insert random bytes
    local r = {}
    for i = 1, math.random(8) do r[i] = string.char(math.random(0, 255)) end
    return s:sub(1, pos) .. table.concat(r) .. s:sub(pos + 1)
  elseif kind == 5 then                              -- delete a range
    return s:sub(1, pos - 1) .. s:sub(pos + math.random(8))
  elseif kind == 6 then                              -- a random 32-bit word (an "instruction")
    return s:sub(1, pos - 1) .. string.pack("<I4", math.random(0, 0xFFFFFFFF)) .. s:sub(pos + 4)
  else                                               -- duplicate a slice elsewhere
    local len = math.random(16)
    local slice = s:sub(pos, pos + len - 1)
    local at = math.random(n)
    return s:sub(1, at) .. slice .. s:sub(at + 1)
  end
end

-- Systematic mutants (seed 0): the main function's instructions one at a time, each given every
-- opcode, or an A/B/C/Bx operand from a list of edge values. Mutant i → (chunk, instruction, change).
local function varint(s, pos)
  local x = 0
  repeat local b = s:byte(pos); pos = pos + 1; x = (x << 7) | (b & 0x7F) until b >= 0x80
  return x, pos
end

local function codeof(s)                             -- position and size of the main function's code
  local pos = 35                                     -- header (31 bytes), body magic + version, nupvalues
  local n; n, pos = varint(s, pos)
  if n > 0 then pos = pos + n - 1 end                -- source
  _, pos = varint(s, pos); _, pos = varint(s, pos)   -- linedefined, lastlinedefined
  pos = pos + 3                                      -- numparams, is_vararg, maxstacksize
  n, pos = varint(s, pos)
  return pos, n
end

local FIELDS = {{0, 0x7F, 0, 82}, {7, 0xFF, 0, 1, 2, 3, 7, 8, 200, 255}, {16, 0xFF, 0, 1, 5, 8, 255},
  {24, 0xFF, 0, 1, 5, 8, 255}, {15, 0x1FFFF, 0, 1, 5, 0xFFFF, 0x10000, 0x1FFFF}}

local function systematic(chunks, i)
  local c = chunks[i % #chunks + 1]
  i = i // #chunks
  local pos, n = codeof(c)
  local pc = i % n
  i = i // n
  local w = string.unpack("<I4", c, pos + 4 * pc)
  for _, fld in ipairs(FIELDS) do
    local shift, mask = fld[1], fld[2]
    local count = fld == FIELDS[1] and 83 or #fld - 2
    if i < count then
      local v = fld == FIELDS[1] and i or fld[i + 3]
      w = (w & ~(mask << shift)) | ((v & mask) << shift)
      return c:sub(1, pos + 4 * pc - 1) .. string.pack("<I4", w) .. c:sub(pos + 4 * pc + 4)
    end
    i = i - count
  end
  return nil
end

local function sandbox()
  return {pairs = pairs, ipairs = ipairs, select = select, type = type, tostring = tostring,
    tonumber = tonumber, setmetatable = setmetatable, getmetatable = getmetatable, error = error,
    pcall = pcall, next = next, rawget = rawget, rawset = rawset, rawlen = rawlen, rawequal = rawequal,
    string = {sub = string.sub, len = string.len, byte = string.byte, char = string.char, upper = string.upper},
    table = {concat = table.concat, insert = table.insert, unpack = table.unpack},
    math = {type = math.type, floor = math.floor, max = math.max}}
end

function fuzz(seed, first, count, run)
  local chunks = {}
  for i, f in ipairs(bases) do
    chunks[#chunks + 1] = string.dump(f)
    chunks[#chunks + 1] = string.dump(f, true)
  end
  local loaded, rejected, bad = 0, 0, 0
  for i = first, first + count - 1 do
    local m
    if seed == 0 then
      m = systematic(chunks, i) or chunks[1]
    else
      math.randomseed(seed, i)
      m = chunks[math.random(#chunks)]
      for _ = 1, math.random(3) do m = mutate(m) end
    end
    local f, msg = load(m, "=fz", "b", sandbox())
    if type(f) == "function" then
      loaded = loaded + 1
      if run then
        print("ran " .. i); io.stdout:flush()              -- the driver resumes after a hang
        for _, args in ipairs({{}, {1, 2, 3}, {"x", {}, 4.5}}) do pcall(f, table.unpack(args)) end
      end
    elseif f == nil and type(msg) == "string"
        and (msg:find("^fz: bad binary format %(.+%)$") or msg == "not enough memory"
          or msg == "attempt to load a text chunk (mode is 'b')") then
      rejected = rejected + 1
    else
      bad = bad + 1
      print("BAD " .. i .. " " .. tostring(msg))
    end
  end
  print(("loaded=%d rejected=%d bad=%d"):format(loaded, rejected, bad))
  return loaded, rejected, bad
end

if arg and arg[1] then
  fuzz(tonumber(arg[1]), tonumber(arg[2]), tonumber(arg[3]), arg[4] == "run")
end
