-- string.rep past the size limit or the memory limit fails with a catchable error; the state goes on.
print(pcall(string.rep, "x", 2^40))
print(pcall(string.rep, "ab", 2^31))
print(pcall(string.rep, "x", 2^31 - 1))
print(pcall(string.rep, "x", 2^30, "y"))
local s = string.rep("x", 1000)
print(#s, collectgarbage("count") < 4096)
