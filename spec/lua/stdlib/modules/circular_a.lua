-- requires circular_b, which requires this module while it is still loading
local b = require("circular_b")
return { b = b }
