"""``/healthz``: is the server up, and how far behind the log is the warehouse?"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from concord.api.common import app_services

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    services = app_services()
    head = services.log.head()
    position = services.projector.position()
    failure = services.projector.failure
    body = {
        "status": "failing" if failure else "ok",
        "log_head": head,
        "projection_position": position,
        "lag": head - position,
        "failure": failure.__dict__ if failure else None,
    }
    return jsonify(body), 503 if failure else 200
