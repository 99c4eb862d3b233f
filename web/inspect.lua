-- inspect.lua - the playground's inspector, run by worker.ts after every request as its own chunk
-- ("=inspector"): describes _home, _io and the user's globals as JSON trees (protocol.ts TreeNode).
-- It reads with next/rawget only and never calls tostring on tables or userdata, so no metamethod
-- (user code) runs while the state is inspected. Limits keep it cheap on any state: MAXDEPTH levels,
-- MAXKEYS children per table, MAXNODES nodes in all (the rest is counted in `more`).
-- The worker replaces the STANDARD placeholder below with the set of global names a fresh state has,
-- so the globals tree shows what the user defined (or redefined: a standard name whose value changed
-- is not detectable this way and stays hidden).

local STANDARD = --[[STANDARD]] {}
local MAXDEPTH, MAXKEYS, MAXNODES, MAXSTR = 8, 200, 4000, 120

local next, type, tostring, rawget, pcall = next, type, tostring, rawget, pcall
local fmt, concat, sort = string.format, table.concat, table.sort
local mathtype = math.type
local extsize = ext and ext.size
local getinfo = debug and debug.getinfo
local costatus = coroutine and coroutine.status

local nodes = 0

--- A JSON string literal: control characters, quotes and backslashes escaped; other bytes kept
--- (the host decodes the result as UTF-8).
local function json(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    return fmt("\\u%04x", c:byte())
  end) .. '"'
end

--- A Lua string as source text, cut to MAXSTR bytes.
local function quote(s)
  local cut = #s > MAXSTR
  local q = fmt("%q", cut and s:sub(1, MAXSTR) or s):gsub("\\\n", "\\n")
  if cut then q = q .. fmt("... (%d bytes)", #s) end
  return q
end

local function isext(t)
  return extsize ~= nil and (pcall(extsize, t))
end

local function entries(n)
  return n == 1 and "1 entry" or fmt("%d entries", n)
end

local function countkeys(t)
  local n = 0
  for _ in next, t do n = n + 1 end
  return n
end

--- type name and description of a value (never runs a metamethod).
local function describe(v)
  local tv = type(v)
  if tv == "string" then return tv, quote(v) end
  if tv == "number" then
    return tv, (mathtype(v) == "float" and tostring(v) or fmt("%d", v))
  end
  if tv == "boolean" or tv == "nil" then return tv, tostring(v) end
  if tv == "table" then
    if isext(v) then return "ext", "external table (" .. entries(extsize(v)) .. ")" end
    return tv, "table (" .. entries(countkeys(v)) .. ")"
  end
  if tv == "function" then
    local info = getinfo and getinfo(v, "S")
    if info == nil then return tv, "function" end
    if info.what == "C" then return tv, "function (builtin)" end
    return tv, fmt("function (%s:%d)", info.short_src, info.linedefined)
  end
  if tv == "thread" then return tv, "coroutine (" .. (costatus and costatus(v) or "?") .. ")" end
  return tv, tv
end

--- A key as it would be written in a table constructor.
local function keytext(k)
  if type(k) == "string" then
    if k:match("^[%a_][%w_]*$") then return k end
    return "[" .. quote(k) .. "]"
  end
  local _, d = describe(k)
  return "[" .. d .. "]"
end

--- Keys in display order: integers ascending, then other numbers, strings, then the rest.
local RANK = { number = 1, string = 2, boolean = 3 }
local function sortedkeys(t)
  local keys = {}
  for k in next, t do keys[#keys + 1] = k end
  sort(keys, function(a, b)
    local ta, tb = type(a), type(b)
    if ta ~= tb then return (RANK[ta] or 4) < (RANK[tb] or 4) end
    if ta == "number" or ta == "string" then return a < b end
    if ta == "boolean" then return (not a) and b end
    return false
  end)
  return keys
end

local node

--- The children of table t, or nil when the depth or node budget is spent.
local function children(t, depth, path)
  if depth >= MAXDEPTH then return nil, nil end
  local keys = sortedkeys(t)
  local out, more = {}, 0
  for i = 1, #keys do
    if i > MAXKEYS or nodes >= MAXNODES then
      more = #keys - i + 1
      break
    end
    out[#out + 1] = node(keytext(keys[i]), rawget(t, keys[i]), depth + 1, path)
  end
  return out, more
end

function node(key, v, depth, path)
  nodes = nodes + 1
  local t, d = describe(v)
  local parts = { '{"k":', json(key), ',"t":', json(t), ',"v":', json(d) }
  if type(v) == "table" then
    if path[v] then
      parts[6] = json(d .. " (cycle)")
    else
      path[v] = true
      local c, more = children(v, depth, path)
      path[v] = nil
      if c then
        parts[#parts + 1] = ',"c":[' .. concat(c, ",") .. "]"
        if more > 0 then parts[#parts + 1] = ',"more":' .. more end
      end
    end
  end
  parts[#parts + 1] = "}"
  return concat(parts)
end

--- The user's globals: every global whose name a fresh state does not have.
local user = {}
for k, v in next, _G do
  if not (type(k) == "string" and STANDARD[k]) then user[k] = v end
end

local home, io_ = rawget(_G, "_home"), rawget(_G, "_io")
return '{"home":' .. node("_home", home, 0, {})
  .. ',"io":' .. node("_io", io_, 0, {})
  .. ',"globals":' .. node("globals", user, 0, {}) .. "}"
