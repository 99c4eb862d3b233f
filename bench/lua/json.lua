-- json.lua - a JSON-like encoder and decoder (recursive descent over string.byte/sub), round trips.
local concat, byte, sub, find = table.concat, string.byte, string.sub, string.find
local escapes = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\t"] = "\\t" }
local encode
local function encstr (s) return '"' .. s:gsub('[%c"\\]', escapes) .. '"' end
function encode (v, out)
  local t = type(v)
  if t == "table" then
    if #v > 0 or next(v) == nil then
      out[#out + 1] = "["
      for i = 1, #v do if i > 1 then out[#out + 1] = "," end encode(v[i], out) end
      out[#out + 1] = "]"
    else
      local keys = {}
      for k in pairs(v) do keys[#keys + 1] = k end
      table.sort(keys)
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        if i > 1 then out[#out + 1] = "," end
        out[#out + 1] = encstr(k); out[#out + 1] = ":"; encode(v[k], out)
      end
      out[#out + 1] = "}"
    end
  elseif t == "string" then out[#out + 1] = encstr(v)
  elseif t == "number" then out[#out + 1] = string.format("%d", v)
  elseif t == "boolean" then out[#out + 1] = v and "true" or "false"
  else out[#out + 1] = "null" end
end
local decode
local function skip (s, i) return find(s, "[^ \t\n]", i) or #s + 1 end
function decode (s, i)
  i = skip(s, i)
  local c = sub(s, i, i)
  if c == "{" then
    local obj = {}
    i = skip(s, i + 1)
    if sub(s, i, i) == "}" then return obj, i + 1 end
    while true do
      local k; k, i = decode(s, i)
      i = skip(s, i) + 1                                  -- ':'
      obj[k], i = decode(s, i)
      i = skip(s, i)
      local d = sub(s, i, i); i = i + 1
      if d == "}" then return obj, i end
    end
  elseif c == "[" then
    local arr = {}
    i = skip(s, i + 1)
    if sub(s, i, i) == "]" then return arr, i + 1 end
    while true do
      arr[#arr + 1], i = decode(s, i)
      i = skip(s, i)
      local d = sub(s, i, i); i = i + 1
      if d == "]" then return arr, i end
    end
  elseif c == '"' then
    local j, parts = i + 1, {}
    while true do
      local b = byte(s, j)
      if b == 34 then break end
      if b == 92 then
        local e = sub(s, j + 1, j + 1)
        parts[#parts + 1] = (e == "n" and "\n") or (e == "t" and "\t") or e
        j = j + 2
      else
        local k = find(s, '["\\]', j)
        parts[#parts + 1] = sub(s, j, k - 1); j = k
      end
    end
    return concat(parts), j + 1
  elseif c == "t" then return true, i + 4
  elseif c == "f" then return false, i + 5
  elseif c == "n" then return nil, i + 4
  else
    local j = find(s, "[^%-%d]", i) or #s + 1
    return tonumber(sub(s, i, j - 1)), j
  end
end
local doc = { users = {}, meta = { version = 3, tags = { "a", "b\t", 'q"uote' }, ok = true } }
for i = 1, 400 do
  doc.users[i] = { id = i, name = "user" .. i, admin = i % 10 == 0, scores = { i, i * 2, i * 3 },
                   note = (i % 7 == 0) and "line1\nline2" or "plain" }
end
local len, total = 0, 0
for round = 1, 20 do
  local out = {}
  encode(doc, out)
  local text = concat(out)
  local back = decode(text, 1)
  len = #text
  total = total + back.users[round].scores[3] + #back.meta.tags[3]
  doc.meta.version = back.meta.version + 1
end
print(len, total, doc.meta.version)
