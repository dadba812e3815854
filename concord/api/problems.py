"""One exception → HTTP table for the whole API, answered as ``application/problem+json``."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, json
from flask_smorest import Api
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ingest.catalogue.loader import CatalogueError
from ingest.log.errors import ConcordError

log = logging.getLogger(__name__)
PROBLEM_JSON = "application/problem+json"


def problem(status: int, title: str, detail: str, code: str, **extra: Any) -> Response:
    body = {"type": f"https://concord.invalid/problems/{code}", "title": title,
            "status": status, "detail": detail, "code": code, **extra}
    return Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)


class ProblemApi(Api):  # type: ignore[misc]
    """flask-smorest's Api, with every HTTP error rendered as a problem document."""

    def handle_http_exception(self, error: HTTPException) -> Response:
        data = getattr(error, "data", None) or {}
        extra: dict[str, Any] = {}
        if "errors" in data or "messages" in data:
            extra["errors"] = data.get("errors", data.get("messages"))
        status = error.code or 500
        code = (error.name or "error").lower().replace(" ", "_")
        response = problem(status, error.name or "Error",
                           data.get("message", error.description or ""), code, **extra)
        for key, value in (data.get("headers") or {}).items():
            response.headers[key] = value
        return response


def register_problem_handlers(app: Flask) -> None:
    @app.errorhandler(ConcordError)
    def _domain_error(exc: ConcordError) -> Response:
        return problem(exc.status, type(exc).__name__, exc.message, exc.code, **exc.details)

    @app.errorhandler(CatalogueError)
    def _catalogue_error(exc: CatalogueError) -> Response:
        problems = [p.__dict__ for p in exc.problems]
        return problem(422, "Invalid catalogue", str(exc), "invalid_catalogue", problems=problems)

    @app.errorhandler(ValidationError)
    def _schema_error(exc: ValidationError) -> Response:
        return problem(422, "Unprocessable Entity", "the request body is not valid",
                       "unprocessable_entity", errors=exc.messages)
