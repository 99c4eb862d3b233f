-- The smallest case: print writes its arguments separated by tabs, then a newline.
print("hello, world")
print(1, 2.5, "three", nil, true)
io.write("no newline", "\n")
