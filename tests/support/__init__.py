"""Helpers shared by test packages: arrange data through the real write path."""
