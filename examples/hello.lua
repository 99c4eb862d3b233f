-- hello.lua - run with: npx lua-wasm examples/hello.lua [name]
local who = arg[1] or "world"
print(("Hello, %s! This is %s running in WebAssembly."):format(who, _VERSION))

local squares = {}
for i = 1, 5 do squares[#squares + 1] = i * i end
print("squares: " .. table.concat(squares, " "))
