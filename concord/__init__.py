"""Concord: composition root (app factory, CLI, settings wiring)."""
