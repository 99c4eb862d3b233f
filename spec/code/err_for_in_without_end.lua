for k, v in pairs(t) do
