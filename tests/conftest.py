"""Shared fixtures: real engines (SQLite, DuckDB, PostgreSQL when present), no mocks."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from concord.services import Services, build_services, open_log, register_events
from concord.settings import DEFAULT_CONFIG_DIR, Settings
from ingest.catalogue.commands import apply_catalogue
from ingest.catalogue.loader import load_catalogue
from ingest.log.actor import Actor
from ingest.log.store import EventLog

POSTGRES_URL = os.environ.get(
    "CONCORD_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, data_dir=tmp_path / "var", config_dir=DEFAULT_CONFIG_DIR)


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    built = build_services(settings)
    yield built
    built.close()


@pytest.fixture(scope="session")
def demo_catalogue():  # type: ignore[no-untyped-def]
    return load_catalogue(DEFAULT_CONFIG_DIR)


@pytest.fixture
def catalogued(services: Services, demo_catalogue) -> Services:  # type: ignore[no-untyped-def]
    """Services whose log holds the demo catalogue, projected into the warehouse."""
    apply_catalogue(services.log, demo_catalogue, Actor.operator("test"), source="test")
    services.projector.catch_up()
    return services


def _postgres_log() -> Iterator[EventLog]:
    import sqlalchemy as sa

    engine = sa.create_engine(POSTGRES_URL)
    schema = f"concord_test_{uuid.uuid4().hex[:12]}"
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = f"PostgreSQL not reachable at {POSTGRES_URL}: {str(exc).splitlines()[0]}"
        if os.environ.get("CONCORD_REQUIRE_POSTGRES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    register_events()
    log = EventLog(POSTGRES_URL, schema=schema)
    try:
        yield log
    finally:
        log.close()
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_log(request: pytest.FixtureRequest, settings: Settings) -> Iterator[EventLog]:
    """The same contract runs against every backend the log supports."""
    if request.param == "sqlite":
        log = open_log(settings)
        yield log
        log.close()
    else:
        request.applymarker(pytest.mark.postgres)
        yield from _postgres_log()
