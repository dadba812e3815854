"""Dash pages over the warehouse, mounted in Concord's Flask server by ``init_dashboards``."""
