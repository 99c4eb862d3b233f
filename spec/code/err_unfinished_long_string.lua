x = [=[ abc
