local state
local function set() state.x = 1 end
set()
