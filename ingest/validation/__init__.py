"""Vectorised validation of a monthly return: every problem at once, in one DuckDB pass."""
