"""Model sizing: parameters from config.json, the serving memory model, instances that fit."""
