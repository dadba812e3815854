"""The alliance and KPI catalogue: members, peer groups, calendar, measures; loaded from TOML."""
