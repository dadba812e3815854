"""Write side: the event log, the catalogue, monthly returns (parsing, validation, commands)."""
