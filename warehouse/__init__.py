"""Read side: the DuckDB warehouse, its schema, projections of the log, analytics queries."""
