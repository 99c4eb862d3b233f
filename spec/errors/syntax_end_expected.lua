if true then
  print("unterminated")
