"""Pieces every API module shares: the running services, and the month and as_of parameters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import current_app
from marshmallow import fields, validate

if TYPE_CHECKING:
    from concord.services import Services

MONTH = validate.Regexp(r"^\d{4}-(0[1-9]|1[0-2])$", error="use YYYY-MM, e.g. 2024-03")
AS_OF = {"description": "Log position (snapshot id) or ISO-8601 time; default: now."}


def app_services() -> Services:
    """The services of the app handling this request (set by ``create_app``)."""
    return current_app.extensions["concord"]  # type: ignore[no-any-return]


def as_of_field(**kwargs: Any) -> fields.String:
    return fields.String(load_default=None, metadata=AS_OF, **kwargs)
