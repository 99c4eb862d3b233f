-- warn: argument checks and control messages (the warnings themselves go to stderr, not compared).
print(warn("@on"))
print(pcall(warn))
print(pcall(warn, nil))
print(pcall(warn, "a", {}))
print(pcall(warn, "a", "b", 3, true))
print(pcall(warn, 1, 2))                 -- numbers are accepted as strings
print(pcall(warn, "visible ", "warning"))
warn("@off")
print(pcall(warn, "invisible"))
print(pcall(warn, "@unknown"))
warn("x", "@on")                          -- while off, the last piece may be a control message
warn("@on")
warn("@off")
print("done")
