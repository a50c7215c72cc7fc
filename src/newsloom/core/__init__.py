"""Pure pipeline steps: bytes and strings in, plain dataclasses out. Nothing here imports Django or the database."""
