"""Scoring pipeline steps against labelled public datasets (evaluation only; never shipped data)."""
