-- Scripts run with the global `arg` table of lua.c: arg[0] is the script path as given.
print(arg[0])
print(#arg, select("#", ...))
