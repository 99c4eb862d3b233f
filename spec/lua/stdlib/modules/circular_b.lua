local a = package.loaded["circular_a"]
return { saw_a = a }
