"""Catalogue resources: members, measures, peer groups (as of any moment) and applying changes."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from concord.api.auth import authorize
from concord.api.common import app_services
from concord.api.schemas import (
    AsOfQuerySchema,
    CatalogueApplyResultSchema,
    CatalogueApplySchema,
    CatalogueVersionSchema,
    MeasureSchema,
    MemberSchema,
    PeerGroupSchema,
)
from ingest.catalogue.commands import apply_catalogue
from ingest.catalogue.loader import load_catalogue
from ingest.identity.policy import Action
from warehouse.asof import parse_as_of, resolve_position
from warehouse.queries import catalogue as queries

blp = Blueprint(
    "catalogue", __name__, url_prefix="/api/v1", description="Alliance and KPI catalogue"
)


def _read(fn: Any, as_of: str | None) -> list[dict[str, Any]]:
    services = app_services()
    cur = services.warehouse.cursor()
    try:
        return fn(cur, resolve_position(cur, parse_as_of(as_of)))  # type: ignore[no-any-return]
    finally:
        cur.close()


@blp.route("/members")
class Members(MethodView):
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, MemberSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Members of the alliance, as the catalogue stood at ``as_of``."""
        authorize(Action.READ_SHARED)
        return _read(queries.members_at, args["as_of"])


@blp.route("/measures")
class Measures(MethodView):
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, MeasureSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """KPI definitions, targets and thresholds as they stood at ``as_of``."""
        authorize(Action.READ_SHARED)
        return _read(queries.measures_at, args["as_of"])


@blp.route("/peer-groups")
class PeerGroups(MethodView):
    @blp.arguments(AsOfQuerySchema, location="query")
    @blp.response(200, PeerGroupSchema(many=True))
    def get(self, args: dict[str, Any]) -> list[dict[str, Any]]:
        """Peer groups with their membership at ``as_of``."""
        authorize(Action.READ_SHARED)
        return _read(queries.peer_groups_at, args["as_of"])


@blp.route("/catalogue/versions")
class CatalogueVersions(MethodView):
    @blp.response(200, CatalogueVersionSchema(many=True))
    def get(self) -> list[dict[str, Any]]:
        """Every catalogue version ever applied: who, when, from where."""
        authorize(Action.READ_SHARED)
        return _read(lambda cur, _pos: queries.catalogue_history(cur), None)


@blp.route("/catalogue")
class Catalogue(MethodView):
    @blp.arguments(CatalogueApplySchema)
    @blp.response(200, CatalogueApplyResultSchema)
    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        """Validate and record a new catalogue; a no-op when the content is unchanged."""
        actor = authorize(Action.MANAGE_CATALOGUE)
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "alliance.toml").write_text(body["alliance_toml"], encoding="utf-8")
            Path(tmp, "measures.toml").write_text(body["measures_toml"], encoding="utf-8")
            catalogue = load_catalogue(Path(tmp))
        services = app_services()
        result = apply_catalogue(
            services.log, catalogue, actor, source="api",
            expected_version=body["expected_version"],
        )
        services.after_write(result.position)
        message = "catalogue recorded" if result.changed else "no change: identical to the latest"
        return {**result.__dict__, "message": message}
