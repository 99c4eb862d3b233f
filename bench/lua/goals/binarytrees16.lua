-- binarytrees16.lua - the binary-trees benchmark at depth 16 (collector goal: allocation-heavy).
local function bottomup(depth)
  if depth == 0 then return {} end
  depth = depth - 1
  return { bottomup(depth), bottomup(depth) }
end
local function check(tree)
  if tree[1] then return 1 + check(tree[1]) + check(tree[2]) end
  return 1
end
local N = 16
local mindepth, maxdepth = 4, N
print("stretch tree of depth " .. (maxdepth + 1) .. "\t check: " .. check(bottomup(maxdepth + 1)))
local long = bottomup(maxdepth)
for depth = mindepth, maxdepth, 2 do
  local iters = 2 ^ (maxdepth - depth + mindepth) // 1
  local c = 0
  for _ = 1, iters do c = c + check(bottomup(depth)) end
  print(string.format("%d\t trees of depth %d\t check: %d", iters, depth, c))
end
print("long lived tree of depth " .. maxdepth .. "\t check: " .. check(long))
