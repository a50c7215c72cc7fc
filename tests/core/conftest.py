"""Core tests need no database: they test pure functions with bytes and strings."""
