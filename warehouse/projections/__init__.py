"""Projections: one module per read model family, each turning events into set-based writes."""
