print("no closing quote)
