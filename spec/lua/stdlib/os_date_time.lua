-- os.time / os.date / os.difftime / os.clock / os.getenv / os.setlocale (UTC formats only).
local function fields(t)
  local r = {}
  for _, k in ipairs{"year", "month", "day", "hour", "min", "sec", "yday", "wday", "isdst"} do r[#r + 1] = k .. "=" .. tostring(t[k]) end
  return table.concat(r, " ")
end
print(os.time{year = 2020, month = 1, day = 1, hour = 0})
print(os.time{year = 2020, month = 1, day = 1})
print(os.time{year = 1970, month = 1, day = 1, hour = 0, sec = 1}, os.time{year = 1969, month = 12, day = 31, hour = 23, min = 59, sec = 58})
print(os.time{year = 2000, month = 2, day = 29, hour = 12, min = 30, sec = 15})
local t = {year = 2020, month = 14, day = -3, hour = 25, min = 61, sec = -1}
print(os.time(t), fields(t))
t = {year = 2020, month = 1, day = 1, hour = 0, isdst = true}
print(os.time(t), fields(t))
t = {year = "2021", month = "3", day = 1.0, hour = 6}
print(os.time(t), fields(t))
print(pcall(os.time, {year = 2020}))
print(pcall(os.time, {year = 2020, month = "x", day = 1}))
print(pcall(os.time, {year = 2020, month = 1.5, day = 1}))
print(pcall(os.time, {year = 2^40, month = 1, day = 1}))
print(pcall(os.time, {year = 2020, month = 1, day = 1, min = 2^31}))
print(pcall(os.time, {year = 1969, month = 12, day = 31, hour = 23, min = 59, sec = 59}))
print(pcall(os.time, 5))
print(math.type(os.time()), os.time() > 1600000000)
-- date with "!" (UTC) formats
print(os.date("!%c|%x|%X|%D|%F|%r|%R|%T|%e|%C|%g|%G|%V|%U|%W|%u|%w|%j|%h|%p|%I", 0))
print(os.date("!%Y-%m-%d %H:%M:%S %A %B %a %b %Z %z %%", 1e9))
print(os.date("!%H:%M:%S %p %I", 1e9 + 13 * 3600), os.date("!%I %p", 12 * 3600), os.date("!%I %p", 0))
print(os.date("!%n|%t|%Ey|%EC|%Ex|%EX|%Ec|%EY|%Od|%Oe|%OH|%OI|%Om|%OM|%OS|%Ou|%OU|%OV|%Ow|%OW|%Oy", 86400 * 400))
for _, y in ipairs{-1, 5, 999, 1900, 10000, -1000} do
  print(os.date("!%Y|%C|%y|%G|%g|%c|%F", os.time{year = y, month = 3, day = 1}))
end
for _, d in ipairs{"2021-01-01", "2021-01-03", "2021-01-04", "2020-12-31", "2024-12-30", "2027-01-01", "2026-12-31", "2016-01-03", "2008-12-29"} do
  local y, m, dd = d:match("(%d+)-(%d+)-(%d+)")
  print(d, os.date("!%G %g %V %U %W %u %w %j %a", os.time{year = y, month = m, day = dd}))
end
print(fields(os.date("!*t", 86400 * 45 + 3661)))
print(fields(os.date("!*t", -1)))
print(fields(os.date("!*t", 951782400)))
print(os.date("!", 0) == "", os.date("!x%%y", 0), os.date("!%Y", 2^40))
print(pcall(os.date, "!%Y", 2^60))
print(pcall(os.date, "%Ez abc"))
print(pcall(os.date, "%E"))
print(pcall(os.date, "%"))
print(pcall(os.date, "%Q"))
print(pcall(os.date, "%Oz"))
print(pcall(os.date, "*t", 1.5))
print(pcall(os.date, "*t", "x"))
print(pcall(os.date, {}))
print(type(os.date()), type(os.date("*t")), #os.date("!%c") == 24)
-- round trip
for _, v in ipairs{0, 86399, 951782400, 1700000000, -86400 * 366} do
  local d = os.date("!*t", v)
  d.isdst = nil
  io.write(tostring(os.time(d) == v), " ")
end
print()
-- difftime, clock, getenv, setlocale
print(os.difftime(10, 5), os.difftime(5, 10), math.type(os.difftime(1, 1)))
print(pcall(os.difftime, 10))
print(pcall(os.difftime, 1.5, 1))
print(type(os.clock()), os.clock() >= 0)
print(os.getenv("LUA_WASM_SPEC_SURELY_UNSET"), pcall(os.getenv))
print(os.setlocale(), os.setlocale("C"), os.setlocale("POSIX"), os.setlocale("xx_YY"), os.setlocale(nil, "numeric"), os.setlocale("C", "time"))
print(pcall(os.setlocale, nil, "x"))
