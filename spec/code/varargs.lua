local function a(...) return ... end
local function b(x, ...) local t = {...} return select('#', ...), t end
local function c(...) local x, y, z = ... return x, y, z end
local function d(...) return (...) end
local function e(...) f(...) end
local function g(...) return f(...), ... end
local function h(...) local t = {n = select('#', ...), ...} return t end
local function i(...) return a(b(c(...))) end
local function j(...) local x = ... ; x = ... ; return ... == 1 end
print(...)
return ...
