-- os.date in UTC for pseudo-random times over +-17000 years, every conversion, and os.time round trips.
local x = 7
local function rnd() x = (x * 1103515245 + 12345) % 2147483648 return x end
local fmt = "!%a %A %b %B %c %C %d %D %e %F %g %G %h %H %I %j %m %M %n %p %r %R %S %t %T %u %U %V %w %W %x %X %y %Y %z %Z %%"
for i = 1, 80 do
  local t = (rnd() * 65536 + rnd()) % (2^40) - 2^39
  t = math.tointeger(t)
  print(t, os.date(fmt, t))
  local d = os.date("!*t", t)
  d.isdst = nil
  assert(os.time(d) == t, t)
end
for y = 1990, 2035 do for _, md in ipairs{{1,1},{1,2},{1,3},{1,4},{1,7},{12,28},{12,29},{12,30},{12,31}} do
  local t = os.time{year=y, month=md[1], day=md[2], hour=12}
  io.write(os.date("!%G-%V-%u %U %W %j|", t))
end print() end
print(os.time{year=2021, month=0, day=0, hour=-1, min=-1, sec=-1})
print(os.time{year=2021, month=-25, day=400, hour=1000, min=100000, sec=-10000000})
local t = {year=2021, month=-25, day=400, hour=1000, min=100000, sec=-10000000}
os.time(t) print(t.year, t.month, t.day, t.hour, t.min, t.sec, t.yday, t.wday)
