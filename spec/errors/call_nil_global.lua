-- Calling an undefined global names it in the message.
undefined_function(1, 2)
