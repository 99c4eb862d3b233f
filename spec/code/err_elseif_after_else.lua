if x then else elseif
