"""newsloom: a self-hosted AI news aggregator."""

__version__ = "0.1.0"
