"""Migration steps, oldest first: ``v0001`` initial schema, ``v0002`` sessions and recordings."""
