local cfg
print(cfg.name)
