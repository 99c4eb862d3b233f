function f() x = ... end
