-- math.fmod with two bad arguments reports the second one, as lua5.4 does (found by difffuzz).
print(pcall(math.fmod, true))
print(pcall(math.fmod, {}, nil))
print(pcall(math.fmod, 1.5))
print(pcall(math.fmod, "x", 2))
print(pcall(math.fmod, 1, 0))
print(pcall(math.fmod, 1.0, 0))
print(math.fmod(7, -3), math.fmod(-7, 3), math.fmod(7.5, 2), math.fmod(math.mininteger, -1))
