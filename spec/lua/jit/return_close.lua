-- return_close.lua - a RETURN in compiled code whose frame has a to-be-closed variable pending: the
-- TBC instruction is not compiled, so the function is entered at its loop header after the
-- interpreter ran it, and its RETURN (k: upvalues to close) reaches luaJ_return with the variable
-- still open. The helper answers HELPER_SLOW and compiled code exits before the RETURN (emit.ts
-- callhelper: mayslow), which the interpreter then runs with its __close; anything else would go
-- on past the RETURN. Each function runs many times so that, with the JIT on, its code runs.

local closed, log = 0, {}
local function f(n)
  local c <close> = setmetatable({}, { __close = function() closed = closed + 1 end })
  local s = 0
  for i = 1, n do s = s + i % 7 end
  return s, closed
end

local function g(n, tag)                      -- two variables, closed in reverse order, and an upvalue
  local a <close> = setmetatable({}, { __close = function() log[#log + 1] = tag .. "a" end })
  local b <close> = setmetatable({}, { __close = function() log[#log + 1] = tag .. "b" end })
  local s = 0
  for i = 1, n do s = s + i end
  return function() return s + #tag end
end

local t = 0
for k = 1, 300 do
  local s, c = f(50 + k % 3)
  t = t + s + c
  t = t + g(20 + k % 5, k % 2 == 0 and "e" or "o")()
end
print(t, closed, #log, log[1], log[2], log[#log - 1], log[#log])
