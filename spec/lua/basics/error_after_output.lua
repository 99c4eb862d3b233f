-- A script that prints and then raises an error: stdout is kept and the message
-- (with the chunk name "spec/lua/basics/error_after_output.lua:<line>:") follows as "error: ...".
print("before the error")
local t = nil
print(t.field)
