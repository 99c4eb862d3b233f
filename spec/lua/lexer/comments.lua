-- Line comments, long comments of any level, comments at EOF.
print("start") -- trailing comment
--[[ long
comment ]] print("after long comment on same line")
--[==[
  a long comment containing ]] and ]=] ]==]
print("after level 2 comment")
--[=[]=]print("empty long comment")
---[[ this is a line comment since it starts with ---
print("triple dash is a line comment")
--]]
--[ not a long comment, just a line comment
print("single bracket")
--[=x not a long comment either
print("broken long bracket is a line comment")
local x = 1 --[[ inline ]] + 2
print(x)
local y = 10 - --[[ comment between operators ]] 3
print(y)
-- comment at EOF without newline, through load
print(load("return 42 -- final")())
print(load("return 43 --[[ final long ]]")())
print(load("return 44 --")())
-- unfinished long comment
print(load("x = 1 --[[ never closed"))
print(load("x = 1 --[==[ never closed ]=]"))
-- comments do not nest
print(load("--[[ a --[[ b ]] return 5 --]]")())
-- minus minus inside a string is not a comment
print("a -- b", '--[[x]]')
