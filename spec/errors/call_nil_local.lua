local callback
callback()
