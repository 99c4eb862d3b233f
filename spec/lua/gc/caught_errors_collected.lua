-- A caught error object is garbage once pcall/xpcall has returned it and nothing else holds it:
-- the interpreter's slot for the error in flight must not keep it alive until the chunk ends.
local weak = setmetatable({}, {__mode = "v"})
local function viapcall() local e = {} weak[1] = e return (pcall(error, e)) end
local function vialua() local e = {} weak[2] = e return (pcall(function () error(e) end)) end
local function viaxpcall()
  local e = {} weak[3] = e
  return (xpcall(function () error(e) end, function (m) return m end))
end
local function viaclose()
  local e = {} weak[4] = e
  return (pcall(function ()
    local x <close> = setmetatable({}, {__close = function () end})
    error(e)
  end))
end
print(viapcall(), vialua(), viaxpcall(), viaclose())
collectgarbage() collectgarbage()
print(weak[1] == nil, weak[2] == nil, weak[3] == nil, weak[4] == nil)
-- the caught value itself is intact while it is held
local held = select(2, pcall(error, {tag = "kept"}))
collectgarbage()
print(held.tag)
