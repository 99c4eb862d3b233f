local ok = nil
assert(ok, "value was nil")
