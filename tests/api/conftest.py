"""API fixtures: the real app (no dashboards unless asked) over real SQLite and DuckDB files."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from concord.app import create_app
from concord.services import Services
from ingest.identity.commands import add_user, create_token
from ingest.log.actor import Actor

CONTROL_TOKEN = "test-control-token"


@pytest.fixture
def app(catalogued: Services) -> Flask:
    app = create_app(catalogued, control_token=CONTROL_TOKEN, dashboards=False)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def operator_headers() -> dict[str, str]:
    return {"Authorization": f"Bearer {CONTROL_TOKEN}", "X-Concord-Operator": "ops"}


def token_for(services: Services, username: str, role: str, member: str | None = None) -> str:
    operator = Actor.operator("test")
    add_user(services.log, operator, username=username, role=role, member_code=member,
             known_members=None)
    return create_token(services.log, operator, username=username, label="test").token


@pytest.fixture
def board_headers(catalogued: Services) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(catalogued, 'bella', 'board')}"}


@pytest.fixture
def admin_headers(catalogued: Services) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(catalogued, 'ada', 'admin')}"}


@pytest.fixture
def rtx(catalogued: Services) -> dict[str, str]:
    """A submitter bound to member RTX."""
    return {"Authorization": f"Bearer {token_for(catalogued, 'rita', 'submitter', 'RTX')}"}
