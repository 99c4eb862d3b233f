-- leaks.lua (unit) - the library's error and message paths, one case each, for the leak test
-- (spec/unit/leaks.test.ts): CASES[i] = {name, f, n = max iterations (slow cases), compiles = true when
-- f runs the compiler}; the test calls f() many times and checks that collectgarbage("count") after a
-- full collection, the bytes the allocator holds outside the count and the number of live Buffers
-- stay flat. (The compiler's managed scratch is uncounted garbage until a later compile frees it,
-- so for `compiles` cases the uncounted bytes are compared after that collection.)
-- Each case builds a message (usually an error caught by pcall) and checks it, so a case that
-- stopped reaching its path fails instead of measuring nothing.

local function fails(f, ...)
  local ok, e = pcall(f, ...)
  assert(not ok, "expected an error")
  return e
end

local function expect(pattern, f, ...)
  local e = fails(f, ...)
  if type(e) ~= "string" or not e:find(pattern, 1, true) then
    error(("expected %q in %s"):format(pattern, tostring(e)), 2)
  end
end

local co_dead = coroutine.create(function() end)
coroutine.resume(co_dead)
local mt_name = setmetatable({}, {__name = "MyType"})
local mt_tostring = setmetatable({}, {__tostring = function() return "custom" end})
local chunk = string.dump(function(a) return a + 1 end)

CASES = {
  -- the VM's runtime errors (vm/debug.ts, vm/execute.ts)
  {"arithmetic on a nil local", function() expect("(local 'x')", function() local x; return x + 1 end) end},
  {"arithmetic on a nil global", function() expect("(global 'nosuch')", function() return nosuch * 2 end) end},
  {"index a nil field", function() expect("(field 'b')", function() local t = {} return t.b.c end) end},
  {"call a nil value", function() expect("attempt to call a nil value", function() nosuchfn() end) end},
  {"compare two tables", function() expect("attempt to compare two table values", function() return {} < {} end) end},
  {"compare number with nil", function() expect("attempt to compare number with nil", function() return 1 < nil end) end},
  {"concatenate a table", function() expect("attempt to concatenate a table value", function() return "a" .. {} end) end},
  {"for initial value", function() expect("'for' initial value", function() for i = {}, 2 do end end) end},
  {"no integer representation", function() expect("has no integer representation", function() return 1.5 | 1 end) end},
  {"non-closable value", function() expect("got a non-closable value", function() local x <close> = 1 end) end},
  {"error with position", function() expect("leaks.lua:", function() error("msg") end) end},
  {"error with a table", function() local e = fails(error, {code = 1}) assert(e.code == 1) end},
  {"stack overflow", function() local function f() return 1 + f() end expect("stack overflow", f) end, n = 1},
  {"C stack overflow", function()
    local t = setmetatable({}, {}) getmetatable(t).__index = function(_, k) return t[k] end
    expect("stack overflow", function() return t.x end)
  end, n = 20},
  {"__index function error", function()
    expect("boom", function() return setmetatable({}, {__index = function() error("boom") end}).x end)
  end},
  -- bad arguments (lib/aux.ts)
  {"bad argument: no value", function() expect("bad argument #1 to 'string.rep'", string.rep) end},
  {"bad argument: wrong type", function() expect("number expected, got table", string.rep, "x", {}) end},
  {"bad argument: method call", function()
    local t = {rep = string.rep} expect("calling 'rep' on bad self", function() return t:rep(1) end)
  end},
  {"bad argument: named type", function() expect("got MyType", string.rep, mt_name) end},
  {"bad argument: invalid option", function() expect("invalid option 'bogus'", collectgarbage, "bogus") end},
  {"collectgarbage options", function()
    assert(collectgarbage("count") > 0) assert(collectgarbage("isrunning")) collectgarbage("step", 0)
    local p = collectgarbage("setpause", 200) collectgarbage("setpause", p)
  end},
  {"bad argument: out of range", function() expect("value out of range", string.char, 256) end},
  {"select bad index", function() expect("index out of range", select, -5, 1) end},
  {"tonumber bad base", function() expect("base out of range", tonumber, "z", 99) end},
  {"assert with message", function() expect("custom message", assert, false, "custom message") end},
  {"assert without message", function() expect("assertion failed!", assert, nil) end},
  {"rawlen bad argument", function() expect("table or string expected", rawlen, 1) end},
  {"ipairs without argument", function() expect("bad argument #1 to 'ipairs'", ipairs) end},
  {"next invalid key", function() expect("invalid key to 'next'", next, {}, "nokey") end},
  {"math.random empty interval", function() expect("interval is empty", math.random, 2, 1) end},
  -- tostring and print (lib/base.ts)
  {"tostring of a table", function() assert(tostring({}):find("^table: ")) end},
  {"tostring with __tostring", function() assert(tostring(mt_tostring) == "custom") end},
  {"tostring with __name", function() assert(tostring(mt_name):find("^MyType: ")) end},
  {"tostring of a float", function() assert(tostring(1.5) == "1.5") end},
  {"print", function() print("x", 1, 2.5, {}, nil, true) end},
  {"load syntax error", function()
    local f, e = load("x = = 1") assert(f == nil and e:find("unexpected symbol"))
  end, compiles = true},
  {"load unfinished string", function()
    local f, e = load("x = 'abc") assert(f == nil and e:find("unfinished string"))
  end, compiles = true},
  {"load bad escape", function()
    local f, e = load([[x = "\q"]]) assert(f == nil and e:find("invalid escape sequence"))
  end, compiles = true},
  {"load malformed number", function()
    local f, e = load("x = 1e") assert(f == nil and e:find("malformed number"))
  end, compiles = true},
  {"load goto without label", function()
    local f, e = load("goto nowhere") assert(f == nil and e:find("no visible label"))
  end, compiles = true},
  {"load long string unfinished", function()
    local f, e = load("x = [[abc") assert(f == nil and e:find("unfinished long string"))
  end, compiles = true},
  {"load a good chunk", function() assert(load("local a = 'a long string literal ' .. 1 return a")()) end, compiles = true},
  {"load reader returning a table", function()
    local f, e = load(function() return {} end) assert(f == nil and e:find("reader function must return a string"))
  end},
  {"load a binary chunk", function() assert(load(chunk, "c", "b")(1) == 2) end},
  {"load a truncated binary chunk", function()
    local f, e = load(chunk:sub(1, 20), "c", "b") assert(f == nil and e:find("truncated"))
  end},
  {"load text as binary", function()
    local f, e = load("return 1", "c", "b") assert(f == nil and e:find("attempt to load a text chunk"))
  end},
  {"string.dump", function() assert(#string.dump(function() return 1 end) > 0) end},
  {"xpcall with traceback", function()
    local ok, e = xpcall(error, debug.traceback, "x") assert(not ok and e:find("stack traceback:"))
  end},
  {"xpcall handler erroring", function()
    local ok, e = xpcall(error, function() error("again") end, "x") assert(not ok)
  end, n = 200},
  -- string library (lib/string.ts, lib/strformat.ts, lib/pattern.ts, lib/strpack.ts)
  {"string.format %d of a float", function() expect("number has no integer representation", string.format, "%d", 1.5) end},
  {"string.format invalid conversion", function() expect("invalid conversion", string.format, "%y", 1) end},
  {"string.format %q of a table", function() expect("value has no literal form", string.format, "%q", {}) end},
  {"string.format too long", function() expect("invalid conversion", string.format, "%123d", 1) end},
  {"string.format no value", function() expect("no value", string.format, "%d") end},
  {"string.format %s of a table", function() assert(string.format("%s|%10s", {}, "x"):find("^table: ")) end},
  {"string.format %q of strings", function() assert(string.format("%q %q %q", "a\nb\0c", 1.5, math.mininteger)) end},
  {"string.format %a %g", function() assert(string.format("%a %g %.3f %5.2s", 1.0, 1e300, 2.5, "abc")) end},
  {"string.rep with separator", function() assert(#("x"):rep(100, ",") == 199) end},
  {"string.rep too large", function() expect("resulting string too large", string.rep, "x", 1e10, "yy") end},
  {"concat of numbers", function() local a, b = 1, 2.5 assert(a .. b .. "x" == "12.5x") end},
  {"string arithmetic error", function() expect("attempt to add a 'string' with a 'table'", function() return ("x") + {} end) end},
  {"string arithmetic", function() assert(("10") + 1 == 11 and ("3") * "4" == 12) end},
  {"malformed pattern", function() expect("malformed pattern", string.find, "a", "[") end},
  {"invalid capture index", function() expect("invalid capture index", string.gsub, "abc", "(a)", "%2") end},
  {"invalid replacement value", function() expect("invalid replacement value", string.gsub, "abc", "a", function() return {} end) end},
  {"gsub and gmatch", function()
    assert(("hello world"):gsub("o", "0") == "hell0 w0rld")
    for w in ("a b c"):gmatch("%a") do end
  end},
  {"string.pack bad size", function() expect("out of limits", string.pack, "i17", 1) end},
  {"string.unpack too short", function() expect("data string too short", string.unpack, "i4", "ab") end},
  {"string.pack and unpack", function() assert(string.unpack("z", string.pack("z", "abc")) == "abc") end},
  -- table library (lib/table.ts)
  {"table.concat invalid value", function() expect("invalid value (table) at index 2 in table for 'concat'", table.concat, {1, {}, 3}) end},
  {"table.concat", function() assert(table.concat({1, 2, "x"}, ", ") == "1, 2, x") end},
  {"table.insert out of bounds", function() expect("position out of bounds", table.insert, {}, 5, 1) end},
  {"table.insert wrong number", function() expect("wrong number of arguments to 'insert'", table.insert, {}, 1, 2, 3) end},
  {"table.unpack too many", function() expect("too many results to unpack", table.unpack, {}, 1, 1e8) end},
  {"table.sort invalid order", function()
    expect("invalid order function for sorting", table.sort, {5, 4, 3, 2, 1, 6, 7, 8, 9, 10, 11, 12}, function() return true end)
  end},
  -- coroutines (lib/coroutine.ts)
  {"resume a dead coroutine", function()
    local ok, e = coroutine.resume(co_dead) assert(not ok and e == "cannot resume dead coroutine")
  end},
  {"error inside a coroutine", function()
    local ok, e = coroutine.resume(coroutine.create(function() error("inside") end)) assert(not ok and e:find("inside"))
  end},
  {"wrap propagating an error", function() expect("wrapped", coroutine.wrap(function() error("wrapped") end)) end},
  {"yield outside a coroutine", function() expect("attempt to yield from outside a coroutine", coroutine.yield) end},
  {"close a running coroutine", function()
    expect("cannot close a running coroutine", function() return coroutine.close(coroutine.running()) end)
  end},
  {"coroutine.close with error", function()
    local co = coroutine.create(function() local x <close> = setmetatable({}, {__close = function() error("closing") end}) coroutine.yield() end)
    coroutine.resume(co)
    local ok, e = coroutine.close(co) assert(not ok and e:find("closing"))
  end},
  {"resume non-suspended", function()
    local co co = coroutine.create(function() return coroutine.resume(co) end)
    local ok, ok2, e = coroutine.resume(co) assert(ok and not ok2 and e == "cannot resume non-suspended coroutine")
  end},
  -- utf8 (lib/utf8.ts)
  {"utf8.char out of range", function() expect("value out of range", utf8.char, -1) end},
  {"utf8.codepoint invalid", function() expect("invalid UTF-8 code", utf8.codepoint, "\xff") end},
  {"utf8.codes invalid", function() expect("invalid UTF-8 code", function() for _ in utf8.codes("a\xff") do end end) end},
  {"utf8.len invalid", function() local n, p = utf8.len("a\xff") assert(n == nil and p == 2) end},
  {"utf8.offset continuation", function() expect("initial position is a continuation byte", utf8.offset, "\xe4\xb8\x80", 1, 2) end},
  {"utf8.char", function() assert(utf8.char(72, 228, 8364, 128512) == "H\xc3\xa4\xe2\x82\xac\xf0\x9f\x98\x80") end},
  -- os (lib/os.ts)
  {"os.date", function() assert(#os.date("%Y-%m-%d %H:%M:%S %A %B %c %x %X %p", 0) > 0) end},
  {"os.date *t", function() assert(os.date("!*t", 0).year == 1970) end},
  {"os.date invalid conversion", function() expect("invalid conversion specifier", os.date, "%Ez") end},
  {"os.time missing field", function() expect("field 'day' missing in date table", os.time, {year = 2000, month = 1}) end},
  {"os.time", function() assert(os.time({year = 2000, month = 1, day = 1, hour = 12}) > 0) end},
  {"os.setlocale", function() assert(os.setlocale("C", "numeric") == "C" and os.setlocale(nil, "time") == "C") end},
  {"os.setlocale invalid category", function() expect("invalid option 'nope'", os.setlocale, "C", "nope") end},
  {"os.getenv", function() assert(os.getenv("NO_SUCH_VARIABLE_HERE") == nil) end},
  {"os.remove missing file", function() local ok, e = os.remove("/no/such/file") assert(ok == nil and type(e) == "string") end},
  {"os.rename missing file", function() local ok, e = os.rename("/no/such/file", "/no/other") assert(ok == nil and type(e) == "string") end},
  -- io (lib/io.ts, lib/fileio.ts)
  {"io.open missing file", function() local f, e = io.open("/no/such/file") assert(f == nil and type(e) == "string") end},
  {"io.open invalid mode", function() expect("invalid mode", io.open, "x", "rz") end},
  {"io.lines missing file", function() expect("/no/such/file", io.lines, "/no/such/file") end},
  {"io.write bad argument", function() expect("bad argument #1 to 'io.write'", io.write, {}) end},
  {"io.read bad format", function() expect("invalid format", io.read, "x") end},
  {"io.write numbers", function() io.write(1, " ", 2.5, " ", math.mininteger, "\n") end},
  {"closed file", function()
    local f = io.tmpfile()
    if f then f:close() expect("attempt to use a closed file", f.read, f) else expect("closed", io.close, io.stdout) end
  end},
  {"file write and read", function()
    local f = io.tmpfile()
    if f then f:write("abc\n", 12, "\n", 1.5) f:seek("set") assert(f:read("l") == "abc") assert(f:read("n") == 12) f:close() end
  end},
  {"seek and setvbuf", function()
    local f = io.tmpfile()
    if f then f:write("abc") assert(f:seek("cur") == 3 and f:seek("set", 1) == 1 and f:seek() == 1) f:setvbuf("full") f:setvbuf("no") f:close() end
    expect("invalid option 'sideways'", io.stdout.seek, io.stdout, "sideways")
  end},
  {"tostring of a file", function() assert(tostring(io.stdout):find("^file %(")) end},
  {"dofile missing file", function() expect("no/such/file", dofile, "/no/such/file.lua") end},
  {"loadfile missing file", function() local f, e = loadfile("/no/such/file.lua") assert(f == nil and e:find("no/such/file")) end},
  -- require (lib/package.ts)
  {"require missing module", function() expect("module 'no_such_module' not found", require, "no_such_module") end},
  {"package.searchpath", function()
    local p, e = package.searchpath("no.such", "./?.lua;/x/?/init.lua") assert(p == nil and e:find("no file"))
  end},
  {"require with a failing preload", function()
    package.preload["failing_mod"] = function() error("cannot load") end
    expect("cannot load", require, "failing_mod")
  end},
  -- debug (lib/debug.ts)
  {"debug.traceback", function() assert(debug.traceback("msg", 1):find("stack traceback:")) end},
  {"debug.traceback deep", function()
    local function f(n) if n == 0 then return debug.traceback("deep") end return (f(n - 1)) end
    assert(f(40):find("skipping"))
  end},
  {"debug.traceback of a coroutine", function()
    local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co)
    assert(debug.traceback(co):find("stack traceback:"))
  end},
  {"debug.getinfo", function() local i = debug.getinfo(1, "nSlutfrL") assert(i.short_src) end},
  {"debug.getinfo bad option", function() expect("invalid option", debug.getinfo, 1, ">") end},
  {"debug.getlocal", function() local a = 1 local n, v = debug.getlocal(1, 1) assert(n) end},
  {"debug.sethook", function() debug.sethook(function() end, "l") debug.sethook() end},
  -- warnings
  {"warn", function() warn("@off") warn("a", "b") end},
}
