-- mandel.lua - JIT kernel: escape-time Mandelbrot over an n x n grid (float arithmetic in nested
-- numeric loops, a while loop with a compound condition); prints the number of points in the set.
local function mandelbrot(n, maxiter)
  local count = 0
  for y = 0, n - 1 do
    local ci = 2.0 * y / n - 1.0
    for x = 0, n - 1 do
      local cr = 2.0 * x / n - 1.5
      local zr, zi, k = 0.0, 0.0, 0
      while k < maxiter and zr * zr + zi * zi <= 4.0 do
        local t = zr * zr - zi * zi + cr
        zi = 2.0 * zr * zi + ci
        zr = t
        k = k + 1
      end
      if k == maxiter then count = count + 1 end
    end
  end
  return count
end
print(mandelbrot(400, 50))
