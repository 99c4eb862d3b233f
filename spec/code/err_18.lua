x = [== abc
