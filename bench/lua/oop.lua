-- oop.lua - method calls on objects: metatables with __index chains (inheritance), self calls.
local Point = {}
Point.__index = Point
function Point.new (x, y) return setmetatable({ x = x, y = y }, Point) end
function Point:add (o) return Point.new(self.x + o.x, self.y + o.y) end
function Point:dot (o) return self.x * o.x + self.y * o.y end
function Point:move (dx, dy) self.x = self.x + dx; self.y = self.y + dy end

local Shape = {}
Shape.__index = Shape
function Shape.new (kind) return setmetatable({ kind = kind, pos = Point.new(0, 0) }, Shape) end
function Shape:area () return 0 end
function Shape:translate (dx, dy) self.pos:move(dx, dy); return self end
local Rect = setmetatable({}, { __index = Shape })
Rect.__index = Rect
function Rect.new (w, h) local r = Shape.new("rect"); r.w, r.h = w, h; return setmetatable(r, Rect) end
function Rect:area () return self.w * self.h end
local Square = setmetatable({}, { __index = Rect })
Square.__index = Square
function Square.new (s) local r = Rect.new(s, s); r.kind = "square"; return setmetatable(r, Square) end

local shapes = {}
for i = 1, 1000 do shapes[i] = (i % 2 == 0) and Rect.new(i % 13, i % 7) or Square.new(i % 11) end
local total, d = 0, 0
local acc = Point.new(0, 0)
for round = 1, 300 do
  for i = 1, #shapes do
    local sh = shapes[i]
    total = total + sh:area()
    sh:translate(1, -1)
    acc = acc:add(sh.pos)
    d = (d + acc:dot(Point.new(1, 1))) % 1000003
  end
end
print(total, acc.x, acc.y, d, shapes[7].pos.x, shapes[8].kind)
