#!/usr/bin/env lua5.4 this first line is skipped ( ] ' "
-- A file whose first line starts with "#" is read with that line skipped.
print("after shebang line")
-- load() of a string does NOT skip a leading #
print(load("#!x\nreturn 1"))
print(load("# comment\nreturn 1"))
-- error messages report the real line number (the # line counts as line 1)
print(pcall(error, "msg"))
print(select(2, pcall(function() local x = nil; return x.y end)))
print(select(2, pcall(error, "lvl1", 1)))
