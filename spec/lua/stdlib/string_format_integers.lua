-- Integer conversions of string.format (lib/strformat.ts addint: decimal digits without a division
-- instruction, other bases as before) for values at the edges, with flags, widths and precisions.
for _, v in ipairs{0, 1, -1, 9, 10, 99, 100, 12345, -987654321, math.maxinteger, math.mininteger, 10^15 // 1, -10} do
  print(("%d|%5d|%-5d|%05d|%+d|% d|%.3d|%.0d|%i|%u|%x|%X|%#x|%o|%#o"):format(v, v, v, v, v, v, v, v, v, v, v, v, v, v, v))
end
print(("%d %s %d"):format(3, "x", 4), pcall(string.format, "%d", 1.5), pcall(string.format, "%d", "12"))
