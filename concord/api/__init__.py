"""The REST API under /api/v1: thin flask-smorest resources over commands and queries."""
