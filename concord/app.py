"""The application factory: the REST API, /healthz and the Dash dashboards in one Flask app."""

from __future__ import annotations

from flask import Flask, redirect
from flask_compress import Compress
from werkzeug.wrappers import Response

from concord.api import (
    admin,
    benchmarks_api,
    catalogue,
    health,
    overview_api,
    returns,
    spc_api,
    tracking,
)
from concord.api.auth import authorize
from concord.api.problems import ProblemApi, register_problem_handlers
from concord.services import Services
from ingest.identity.policy import Action

SWAGGER_UI_URL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"
DASHBOARDS_PREFIX = "/dashboards/"
COMPRESSION = {
    # Whichever the client accepts, in this order. The board overview's JSON is 5.5 MB for 50
    # members x 200 measures: zstd level 3 makes it 216 KB in 7 ms, brotli level 4 188 KB in
    # 45 ms, gzip level 1 300 KB in 20 ms (gzip's default level 6: 230 KB in 61 ms).
    "COMPRESS_ALGORITHM": ["zstd", "br", "gzip"],
    "COMPRESS_ZSTD_LEVEL": 3,
    "COMPRESS_BR_LEVEL": 4,
    "COMPRESS_LEVEL": 1,
    # The text types Concord serves (flask-compress's default list has no CSV).
    "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/plain", "text/csv", "text/javascript",
                           "application/javascript", "application/json", "image/svg+xml"],
}
"""HTTP compression of every response the client asks it for (Accept-Encoding): API answers,
CSV exports and the dashboards' scripts. Safe from BREACH-style length attacks while
credentials travel only in the Authorization header: no cookie makes a cross-site request
carry them. Revisit if cookie sessions are ever added."""


def create_app(
    services: Services, *, control_token: str | None = None, dashboards: bool = True,
    api_url: str | None = None,
) -> Flask:
    """Build the app around already-built services (the caller owns their lifecycle)."""
    app = Flask("concord")
    app.config.update(
        API_TITLE="Concord",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="docs",
        OPENAPI_SWAGGER_UI_URL=SWAGGER_UI_URL,
        MAX_CONTENT_LENGTH=services.settings.max_upload_mb * 1024 * 1024,
        CONCORD_CONTROL_TOKEN=control_token,
        **COMPRESSION,
    )
    Compress(app)
    app.extensions["concord"] = services
    api = ProblemApi(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]
    for blueprint in (catalogue.blp, returns.blp, tracking.blp, admin.blp, benchmarks_api.blp,
                      spc_api.blp, overview_api.blp):
        api.register_blueprint(blueprint)
    app.register_blueprint(health.bp)
    register_problem_handlers(app)
    app.add_url_rule("/", "root", lambda: redirect(DASHBOARDS_PREFIX))
    if dashboards:
        _mount_dashboards(app, services, api_url)
    return app


def _mount_dashboards(app: Flask, services: Services, api_url: str | None) -> None:
    from dashboards.app import init_dashboards

    @app.before_request
    def _dashboards_need_read_access() -> Response | None:
        from flask import request

        if request.path.startswith(DASHBOARDS_PREFIX):
            authorize(Action.READ_SHARED)
        return None

    init_dashboards(app, cursor=services.warehouse.cursor, url_base_pathname=DASHBOARDS_PREFIX,
                    api_url=api_url)
