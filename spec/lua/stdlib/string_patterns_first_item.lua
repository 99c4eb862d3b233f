-- Patterns whose first item is one character class: find/match/gmatch/gsub skip the positions whose
-- byte is not in that class, and find/match of a pattern that is only that item (maybe with '+')
-- need no matcher at all (lib/pattern.ts). Results and errors must be lua5.4's exactly.
local function show(...)
  local t = table.pack(...)
  for i = 1, t.n do t[i] = type(t[i]) == "string" and ("%q"):format(t[i]) or tostring(t[i]) end
  return table.concat(t, " ", 1, t.n)
end
local subj = "  ab12, X-y_z\t\"q\\\"\n9\0\200\255]^-%.end"
local pats = {
  "[^ \t\n]", '["\\]', "[^%-%d]", '[%c"\\]', "%d+", "%a+", "%w", "%W+", "[%]]", "[]]", "[^]]+", "[a-]",
  "[-a]", "[z-a]", "[%a-]", "[%d-z]+", "[^%z]", "%z", "[%z]+", "%Z+", "[\0-\31]", "[\128-\255]+", "%s+",
  "%S", "%p+", "%P", "%l", "%U+", "%x+", "%X", "%g+", "%G", "%C", "%.", "%%", "%]", "%^", "%-", "^%a",
  "^ +", "^[ ]+", "^%d", "[%w_]+", "[^%w_%s]", "[%^]", "[^^]", "[%-]", "[a%-z]", "(%a+)", "()%d",
  "((%d))", "(%d+)(%a)", "%d+%a", "[%d]+$", "%a$", "[xy]+%]?", "[\0]", "[%\0]", "%A+", "x", "[x]+",
  "[^a-z ]+", "[^\0-\127]", "[%s%d]+", "[%S]", "%b()", "%f[%a]", ".", "%d*", "%d?", "%d-", "[^%d]*",
}
for _, p in ipairs(pats) do
  local out = {}
  out[#out + 1] = show(string.find(subj, p))
  out[#out + 1] = show(string.find(subj, p, 5))
  out[#out + 1] = show(string.find(subj, p, -6))
  out[#out + 1] = show(string.find(subj, p, 100))
  out[#out + 1] = show(string.find(subj, p, #subj + 1))
  out[#out + 1] = show(string.match(subj, p))
  out[#out + 1] = show(string.match(subj, p, 10))
  local g = {}
  for a, b in string.gmatch(subj, p) do g[#g + 1] = show(a, b) end
  out[#out + 1] = table.concat(g, ",")
  out[#out + 1] = show(string.gsub(subj, p, "<%0>"))
  out[#out + 1] = show(string.gsub(subj, p, "", 2))
  out[#out + 1] = show(string.gsub(subj, p, {["1"] = "one", a = false, [" "] = "_"}))
  out[#out + 1] = show(string.gsub(subj, p, function (c) return #tostring(c) > 1 and "#" or nil end))
  print(("%q"):format(p), table.concat(out, " | "))
end
-- empty subject and one-byte subjects
for _, p in ipairs{"[^ ]", "%d+", "%a", "[%z]"} do
  print(show(string.find("", p)), show(string.match("", p)), show(string.gsub("", p, "x")),
    show(string.find("7", p)), show(string.find("\0", p)), show(string.find(" ", p)))
end
-- nested gsub inside a replacement function keeps the outer scan's class
print(string.gsub("a1b22c333", "%d+", function (d) return (string.gsub("x-y", "[%-]", d)) end))
print(string.gsub("k=v; a=b", "[%a]+", function (w) return w:gsub("[^aeiou]", "."):upper() end))
-- plain finds with special characters
print(string.find("a.b[c]%d", ".", 1, true), string.find("a.b[c]%d", "[c]", 1, true), string.find("a.b[c]%d", "%d", 1, true))
print(string.find("a+b", "+", 1, true), string.find("x^y", "^y", 1, true), string.find("ab\0cd", "\0c", 1, true))
-- malformed patterns still raise their errors
for _, p in ipairs{"[a", "[", "[^", "%", "[%", "[a%", "(%d", "%d)", "[%]", "%b", "%f", "%fx", "%1"} do
  print(("%q"):format(p), pcall(string.find, subj, p))
  print(("%q"):format(p), pcall(string.gsub, subj, p, ""))
  print(("%q"):format(p), pcall(function () for _ in string.gmatch(subj, p) do end end))
end
print(pcall(string.find, subj, "[a", 1000), pcall(string.match, "", "%"))
-- bad arguments
print(pcall(string.find, subj, "%d", "x"), pcall(string.find, subj, "%d", 1.5))
print(pcall(string.find, nil, "%d"), pcall(string.match, subj, {}))
print(pcall(string.gsub, subj, "%d", true), pcall(string.gsub, subj, "%d", "%2"))
-- a long subject with a run at the end
local long = ("-"):rep(5000) .. "abc" .. ("9"):rep(300)
print(string.find(long, "%d+"), string.find(long, "[%a]+"), #string.match(long, "[^-]+"), string.find(long, "^[-]+"))
print(select(2, string.gsub(long, "[%d]", "")), select(2, string.gsub(long, "[^%-]", "")))
-- captures with the first-item filter, through gmatch and find
for k, v in string.gmatch("alpha=1 beta=22 gamma=333 =4 x=", "(%a+)=(%d+)") do io.write(k, ":", v, " ") end print()
print(string.find("  key = value", "(%w+)%s*=%s*(%w+)"), string.find("x = 1", "()%a()"))
-- gsub with a one-item pattern (no matcher): %1 is the whole match, counts, anchors, a hook set
-- from the replacement function (budgets then count matcher steps again)
print(string.gsub("ab12cd345", "%d+", "[%1|%0]"), string.gsub("ab12cd345", "%d", "<%1>", 3))
print(pcall(string.gsub, "ab12", "%d+", "%2"), string.gsub("12ab", "^%d+", "#"), string.gsub("ab", "^%d+", "#"))
print(string.gsub("x1y22z333", "[%d]+", {["22"] = "two", ["1"] = false}), string.gsub("", "%d+", "#"))
print(string.gsub("a,b,,c", ",", ";"), string.gsub("a,b,,c", "[,]+", ";", 1), string.gsub("aaa", "a", "%%"))
local calls = 0
print(string.gsub("1 2 3 4", "%d", function (d)
  calls = calls + 1
  if d == "2" then debug.sethook(function () end, "", 1000) end
  return d * 2
end), calls)
debug.sethook()
