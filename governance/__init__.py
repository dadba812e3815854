"""Governance: commitments, reviews, decisions, action items, accountability (to come)."""
