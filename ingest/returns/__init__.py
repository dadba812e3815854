"""Monthly returns: the Return aggregate, its batch events, and the submit/restate commands."""
