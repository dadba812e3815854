"""Operator resources: warehouse checksums (for ``concord verify``) and a rebuild from the log."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from concord.api.auth import authorize
from concord.api.common import app_services
from concord.api.schemas import ChecksumsSchema, RebuildResultSchema
from ingest.identity.policy import Action
from warehouse.checksums import table_checksums

blp = Blueprint("admin", __name__, url_prefix="/api/v1/admin", description="Operations")


@blp.route("/checksums")
class Checksums(MethodView):
    @blp.response(200, ChecksumsSchema)
    def get(self) -> dict[str, Any]:
        """Per-table checksums of the live warehouse, with the position they were read at."""
        authorize(Action.OPERATE)
        checksums = table_checksums(app_services().warehouse)
        return {"position": checksums.position, "tables": checksums.tables}


@blp.route("/rebuild")
class Rebuild(MethodView):
    @blp.response(200, RebuildResultSchema)
    def post(self) -> dict[str, Any]:
        """Replay the whole log into a fresh warehouse and swap it in (blue-green)."""
        authorize(Action.OPERATE)
        return app_services().rebuild_live()
