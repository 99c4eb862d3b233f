-- Multiple results and adjustment to the number of targets.
local function f() return 1, 2, 3 end
local function none() end
local a, b, c, d = f()
print(a, b, c, d)
local x, y = f(), 10
print(x, y)
local p, q, r = 5, f()
print(p, q, r)
print(f(), f())
print((f()))
print(({ f() })[3], #{ f(), f() }, #{ (f()) })
print(none(), "after")
print(select("#", none()), select("#", (none())))
local t = { none() }
print(#t)
-- returns in various positions
local function wrap() return f() end
local function wrapParen() return (f()) end
print(wrap())
print(wrapParen())
-- string.format etc. receive all values from the last call
print(string.format("%d-%d-%d", f()))
-- assignment evaluates all expressions before assigning
local i, j = 1, 2
i, j = j, i
print(i, j)
local arr = { 10, 20, 30 }
local k = 1
k, arr[k] = 2, "changed"
print(k, arr[1], arr[2])
-- returning many values
local function many(n)
  local tt = {}
  for z = 1, n do tt[z] = z end
  return table.unpack(tt)
end
print(select("#", many(250)), (select(250, many(250))))
-- return with no values vs return nil
local function rnil() return nil end
print(select("#", none()), select("#", rnil()))
-- extra values on the left get nil
local m1, m2, m3 = 1
print(m1, m2, m3)
-- call as statement discards results
f()
print("ok")
