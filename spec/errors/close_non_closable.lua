local h <close> = {}
