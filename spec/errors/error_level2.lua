local function check(x) if not x then error("check failed", 2) end end
check(false)
