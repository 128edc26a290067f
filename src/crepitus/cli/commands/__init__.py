"""One module per sub-command, each exposing ``register(subparsers)``.

A handler parses its arguments, calls one workflow function, and formats the
result; it imports heavy libraries inside the handler, not at module level.
"""
