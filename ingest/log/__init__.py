"""The event log: the only source of truth. Aggregates, stable event names, the store."""
