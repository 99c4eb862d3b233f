-- io with real files: open modes, read formats and counts, write, seek, lines (with formats and
-- closing), io.input/io.output by name, handles after close, tostring/io.type, os.remove/rename.
local name = os.tmpname()
local other = name .. ".renamed"

local f = assert(io.open(name, "w"))
print(io.type(f), tostring(f):match("^file %(0x%x+%)$") ~= nil)
print(f:write("first line\n", 42, " ", 3.5, " ", -7, "\n") == f)
print(f:write("0x1F 1e2 .5 - 12abc\n", "no newline at end") == f)
print(f:close())
print(io.type(f), tostring(f))
print(pcall(f.write, f, "x"))
print(pcall(f.close, f))

-- read formats
f = assert(io.open(name, "r"))
print(f:read())
print(f:read("n", "n", "n"))
print(f:read("L"))
print(f:read("n", "n", "n"))
print(f:read("n"))
print(f:read("l"))
print(f:read(2), f:read(0))
print(f:read("a"))
print(f:read("a"), f:read("l"), f:read(1), f:read(0), f:read("n"))
print(pcall(f.read, f, "x"))
print(pcall(f.read, f, {}))
print(f:read("*l"), f:seek("set", 0), f:read("*a"):len())
f:close()

-- seek
f = assert(io.open(name, "r"))
print(f:seek(), f:seek("cur", 6), f:read(4), f:seek())
print(f:seek("end"), f:read(1), f:seek("end", -3), f:read("a"))
print(f:seek("set"), f:read(5))
print(f:seek("set", -1))
print(pcall(f.seek, f, "bad"))
f:close()

-- modes
print(pcall(io.open, name, "rw"))
print(pcall(io.open, name, "+"))
print(pcall(io.open, name, "rb+"))
print(io.open(name, "r+b") ~= nil, io.open(name, "rb") ~= nil)
f = assert(io.open(name, "w+"))
f:write("0123456789")
print(f:seek("set", 2), f:read(3))
f:write("ab")
print(f:seek("cur"), f:seek("set"), f:read("a"))
f:close()
f = assert(io.open(name, "a+"))
f:write("XY")
f:seek("set")
print(f:read("a"))
f:close()
f = assert(io.open(name, "r"))
print(f:write("no"))
f:close()
f = assert(io.open(name, "w"))
print(f:read("a"))
f:close()
print(io.open(name):read("a") == "")

-- lines
f = assert(io.open(name, "w"))
f:write("alpha\nbeta\n\ngamma")
f:close()
for l in io.lines(name) do io.write("[", l, "]") end
print()
for l in io.lines(name, "L") do io.write("[", l, "]") end
print()
for a, b in io.lines(name, 1, 2) do io.write("<", a, "|", b, ">") end
print()
f = assert(io.open(name))
for l in f:lines() do io.write(l, ";") end
print(io.type(f))
print(f:read("a"), f:close())
f = assert(io.open(name))
local it = f:lines("n")
print(it())
f:close()
print(pcall(it))
print(pcall(function() for l in io.lines(name, "x") do end end))
print(select(2, pcall(io.lines, name, table.unpack({}, 1, 251))))

-- io.input / io.output with names
io.output(name)
io.write("via io.write ", 1, "\n")
print(io.output() ~= io.stdout)
io.close()
print(pcall(io.write, "x"))
io.output(io.stdout)
io.input(name)
print(io.read("L"))
print(io.read())
print((pcall(io.lines)))
io.close(io.input())
print(pcall(io.read))
io.input(io.stdin)

-- files closed by the collector, and by to-be-closed variables
do local g = io.open(name) end
collectgarbage()
do
  local g <close> = assert(io.open(name))
  print(g:read(3))
end

-- tmpfile, type, standard files
local t = io.tmpfile()
t:write("temporary")
t:seek("set")
print(t:read("a"))
t:close()
print(io.type(io.stdout), io.type(42), io.type(t))
print(io.stdout:close())
print(io.stdin:write("x"))
print(io.stdout:read())
print(io.stdout:setvbuf("no"), io.stdout:flush(), io.flush())
print(pcall(io.stdout.setvbuf, io.stdout, "bad"))

-- rename and remove
print(os.rename(name, other))
print(io.open(name) == nil)
print(os.remove(other))
print(select(3, os.remove(other)))
print(select(3, os.rename(other, name)))
print(select(3, io.open(other)))
print(pcall(io.lines, "spec/no/such/file"))
print(pcall(io.input, "spec/no/such/file"))
print(pcall(os.remove))
