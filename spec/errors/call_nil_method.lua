local obj = {}
obj:run(1, 2)
