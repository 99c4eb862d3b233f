-- // and % use floor semantics for every sign combination, ints and floats.
local pairs_ = { {7, 3}, {-7, 3}, {7, -3}, {-7, -3}, {6, 3}, {-6, 3}, {6, -3}, {0, 5}, {0, -5}, {1, 1}, {3, 7}, {-3, 7} }
for _, p in ipairs(pairs_) do
  local a, b = p[1], p[2]
  print(a, b, a // b, a % b, a == (a // b) * b + a % b)
end
print("floats")
local fpairs = { {7.5, 2}, {-7.5, 2}, {7.5, -2}, {-7.5, -2}, {7, 2.5}, {-7, 2.5}, {5.0, 3}, {-5.0, 3}, {0.0, 1}, {-0.0, 1}, {1, 0.3} }
for _, p in ipairs(fpairs) do
  local a, b = p[1], p[2]
  print(a, b, a // b, a % b)
end
print("float division by zero")
print(1 // 0.0, -1 // 0.0, 0.0 // 0.0 ~= 0.0 // 0.0)
print(1 % 0.0 ~= 1 % 0.0, 1.0 % math.huge, -1.0 % math.huge, 1.0 % -math.huge, -1 % -math.huge)
print(5.3 % math.huge, math.huge % 2 ~= math.huge % 2)
print(1 / 0, -1 / 0, 0 / 0 ~= 0 / 0)
print("integer division by zero")
print(pcall(function() return 1 // 0 end))
print(pcall(function() return 1 % 0 end))
print(pcall(function() local z = 0; return 10 // z end))
print(pcall(function() local z = 0; return 10 % z end))
print("mininteger cases")
print(math.mininteger // -1, math.mininteger % -1)
print(math.mininteger // 1, math.mininteger % 1)
print(math.maxinteger // -1, math.maxinteger % -1)
print(math.mininteger // math.maxinteger, math.mininteger % math.maxinteger)
print(math.maxinteger // math.mininteger, math.maxinteger % math.mininteger)
print(-1 // math.mininteger, -1 % math.mininteger)
print("mixed")
print(7 // 2.0, 7 % 2.0, -7 // 2.0, -7 % 2.0)
print(3 % -2, -3 % 2, 3.0 % -2, -3.0 % 2)
print(5 // 0.5, 5 % 0.5)
print("strings coerce")
print("7" // 2, "7" % "2", "7.5" // 1, math.type("7" // 2))
