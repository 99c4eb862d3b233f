-- errors.lua - errors are values caught by pcall, with lua5.4's exact messages and positions.
local ok, err = pcall(error, "plain", 0)
assert(not ok and err == "plain")
ok, err = pcall(function () local t = nil; return t.x end)
assert(not ok and err == "errors.lua:4: attempt to index a nil value (local 't')", err)
ok, err = pcall(function () return 1 + {} end)
assert(not ok and string.find(err, "attempt to perform arithmetic on a table value", 1, true))
ok, err = pcall(error, { code = 42 })
assert(not ok and type(err) == "table" and err.code == 42)
ok, err = pcall(string.rep)
assert(not ok and err == "bad argument #1 to 'string.rep' (string expected, got no value)", err)
local msgs = {}
ok, err = xpcall(function () error("deep") end, function (m) msgs[#msgs + 1] = m; return "handled" end)
assert(not ok and err == "handled" and msgs[1] == "errors.lua:13: deep")
ok, err = pcall(function () return 1 // 0 end)
assert(not ok and string.find(err, "attempt to divide by zero", 1, true))
assert(select(2, load("x = = 1")) == [[[string "x = = 1"]:1: unexpected symbol near '=']])
return true
