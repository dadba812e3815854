"""Identity and access: users, API tokens, and the one policy that says what a role may do."""
