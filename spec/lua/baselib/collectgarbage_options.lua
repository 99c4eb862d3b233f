-- collectgarbage options (values that depend on memory are not printed).
print(type(collectgarbage("count")), math.type(collectgarbage("count")))
print(collectgarbage("collect"))
print(collectgarbage())
print(type(collectgarbage("step")))
print(collectgarbage("isrunning"))
print(collectgarbage("stop"))
print(collectgarbage("isrunning"))
print(collectgarbage("restart"))
print(collectgarbage("isrunning"))
print(pcall(collectgarbage, "nonsense"))
print(pcall(collectgarbage, 1))
-- creating garbage and collecting it does not change program results
local keep = {}
for i = 1, 1000 do keep[i] = { i } ; local junk = { i, i, i } end
collectgarbage()
local sum = 0
for i = 1, 1000 do sum = sum + keep[i][1] end
print(sum)
print(collectgarbage("count") > 0)
