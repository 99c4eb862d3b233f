#!/usr/bin/env lua5.4
-- a script with a '#' first line; errors keep their line numbers
local v = ...
if v == "fail" then error("failed on purpose") end
return "shebang ok", v
