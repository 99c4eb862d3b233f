x = 3e
