-- Label visibility and placement rules, checked through load().
local function check(src)
  local f, msg = load(src, "=src")
  if f then print("ok", f()) else print("error", msg) end
end
-- label at end of block is allowed even after locals (void statements follow)
check("do local x = 1; goto e; local y = 2; ::e:: end return 'end-of-block'")
check("do goto e; local y = 2; ::e:: ; ; end return 'end with semicolons'")
check("do goto e; local y = 2; ::e:: ::f:: end return 'two labels at end'")
-- jumping into the scope of a local
check("goto e; local y = 2; ::e:: return y")
check("do goto e; local y = 2; ::e:: print(y) end")
-- jumping into a nested block is not allowed (label not visible)
check("goto inside; do ::inside:: end")
-- jumping to a label in an enclosing block is allowed
check("do do goto up end end ::up:: return 'up'")
-- labels are not visible across function boundaries
check("::outerlabel:: local function f() goto outerlabel end")
-- duplicate labels in the same function, even nested blocks
check("::a:: do ::a:: end")
check("do ::a:: end ::a:: return 'sibling ok'")
check("::a:: ::a::")
-- undefined labels
check("goto nowhere")
check("do goto x end")
-- goto continue with local after it in a repeat body
check("local i = 0 repeat i = i + 1 if i < 3 then goto c end local z = i ::c:: until i >= 3 return i")
-- 'break' is sugar for goto to end of loop
check("while true do break end return 'broke'")
check("for i = 1, 3 do do break end end return 'nested break'")
-- label names can be reused after the block ends
check("do ::x:: end do ::x:: end return 'reuse'")
-- goto a label defined later in an enclosing block skipping no locals
check("do goto l end local a ::l:: return a")
check("do goto l end ::l:: local a return 'no locals skipped'")
-- 'goto' is a reserved word, cannot be a name
check("local goto = 1")
check("local t = {} t.goto = 1")
