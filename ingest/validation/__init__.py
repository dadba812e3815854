"""Vectorised validation of a monthly return: every problem at once, in one DuckDB pass."""

from ingest.validation.summary import validation_summary
from ingest.validation.validator import MAX_ISSUES_PER_CODE, validate

__all__ = ["MAX_ISSUES_PER_CODE", "validate", "validation_summary"]
