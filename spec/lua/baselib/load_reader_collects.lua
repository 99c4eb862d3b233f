-- load with a reader function that runs the collector between pieces: the default chunk name and
-- mode must survive (they are not referenced by the caller).

local function read1(x)
  local i = 0
  return function()
    collectgarbage()
    i = i + 1
    return string.sub(x, i, i)
  end
end

local f, msg = load(read1("return 'a string long enough to need its own object ' .. 42"))
print(type(f), msg)
print(f and f())

f = load(read1(string.dump(function()
  return '01234567890123456789012345678901234567890123456789'
end)))
print(f and f())

-- an error inside the chunk names it "=(load)"
f = load(read1("local x = nil; return x.y"))
print(pcall(f))
print(load(read1("return +"), nil, "t"))
print(load(read1("return 1"), "=mine", "b"))
