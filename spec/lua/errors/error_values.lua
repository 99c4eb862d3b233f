-- error() with different value types and levels.
print(pcall(error, "plain"))
print(pcall(error))
print(pcall(error, nil))
print(pcall(error, 42))
print(pcall(error, 4.5))
print(pcall(error, true))
local tbl = { code = 1 }
local ok, e = pcall(error, tbl)
print(ok, e == tbl, e.code)
-- level 1 (default) adds the position of the error call
local function lvl1() error("level one") end
print(pcall(lvl1))
local function lvl1explicit() error("level one explicit", 1) end
print(pcall(lvl1explicit))
-- level 2 points to the caller
local function lvl2() error("level two", 2) end
local function caller() lvl2() end
print(pcall(caller))
-- level 0: no position
local function lvl0() error("level zero", 0) end
print(pcall(lvl0))
-- level 3
local function lvl3() error("level three", 3) end
local function mid() lvl3() end
local function top() mid() end
print(pcall(top))
-- position is only added to string messages
local function numErr() error(123) end
print(pcall(numErr))
local function tabErr() error({}, 1) end
print(type(select(2, pcall(tabErr))))
-- numbers are not converted to strings by error
print(math.type(select(2, pcall(function() error(7) end))))
-- error with a message that already has a position
print(pcall(function() error("file.lua:1: custom") end))
-- error called directly by pcall: level 1 refers to a C function, no position
print(pcall(error, "direct", 1))
print(pcall(error, "direct2", 2))
-- multi-line messages
print(pcall(function() error("line1\nline2") end))
-- runtime errors are strings with position
local ok2, msg2 = pcall(function() local x = nil; return x.field end)
print(ok2, type(msg2), msg2)
