do local x <const> = 1; x = 2 end
