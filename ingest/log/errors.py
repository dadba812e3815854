"""Domain errors that carry their HTTP status, so one handler maps them for the whole API."""

from __future__ import annotations

from typing import Any


class ConcordError(Exception):
    """Base of every expected failure; ``status`` is the HTTP status it maps to."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(ConcordError):
    status = 404
    code = "not_found"


class Conflict(ConcordError):
    """Two writers raced on one aggregate; the loser must reload and retry."""

    status = 409
    code = "conflict"


class Forbidden(ConcordError):
    status = 403
    code = "forbidden"


class Unauthorized(ConcordError):
    status = 401
    code = "unauthorized"


class Invalid(ConcordError):
    status = 422
    code = "invalid"
