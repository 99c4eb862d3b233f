x = 'abc\z  
