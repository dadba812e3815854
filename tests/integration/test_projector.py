"""The projector: exactly once, stops at a failing event, rebuilds to identical tables."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pytest

from concord.services import Services, projections
from ingest.catalogue.commands import apply_catalogue
from ingest.log.actor import Actor
from ingest.log.store import Recorded
from tests.support.rebuild import rebuilt_checksums
from warehouse.checksums import differing_tables, table_checksums
from warehouse.db import Warehouse
from warehouse.projector import Projector, ProjectorHalted
from warehouse.rebuild import rebuild_into


def _count(services: Services, table: str) -> int:
    cur = services.warehouse.cursor()
    try:
        return int(cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        cur.close()


def test_projection_reaches_the_log_head_and_records_each_event_once(
    catalogued: Services, demo_catalogue
) -> None:
    members = len(demo_catalogue.alliance.members)
    assert catalogued.projector.position() == catalogued.log.head() == 2
    assert _count(catalogued, "member_versions") == members

    catalogued.projector.catch_up()
    catalogued.projector.catch_up()

    assert _count(catalogued, "member_versions") == members
    assert _count(catalogued, "event_index") == 2


class ExplodesOnSourceB:
    name = "exploding"
    topics = frozenset({"concord:CatalogueApplied"})

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        if any(r.event.source == "b" for r in batch):
            raise ValueError("cannot project this")


def test_a_failing_event_halts_the_projector_there_and_keeps_what_came_before(
    services: Services, demo_catalogue, tmp_path
) -> None:
    operator = Actor.operator("test")
    apply_catalogue(services.log, demo_catalogue, operator, source="a")
    changed = demo_catalogue.__class__(demo_catalogue.alliance, demo_catalogue.measures[:-1])
    apply_catalogue(services.log, changed, operator, source="b")
    warehouse = Warehouse(tmp_path / "halting.duckdb")
    warehouse.migrate()
    projector = Projector(services.log, warehouse, [*projections(), ExplodesOnSourceB()])

    with pytest.raises(ProjectorHalted) as halted:
        projector.catch_up()

    assert halted.value.failure.position == 3
    assert halted.value.failure.topic == "concord:CatalogueApplied"
    assert projector.position() == 2  # the good events before it are kept, nothing skipped
    assert projector.failure is not None
    with pytest.raises(ProjectorHalted):
        projector.run_once()
    assert projector.position() == 2
    warehouse.close()


def test_rebuild_gives_the_same_tables_as_incremental_projection(
    catalogued: Services, demo_catalogue, tmp_path
) -> None:
    changed = demo_catalogue.__class__(demo_catalogue.alliance, demo_catalogue.measures[:-2])
    apply_catalogue(catalogued.log, changed, Actor.operator("test"), source="later")
    catalogued.projector.catch_up()
    live = table_checksums(catalogued.warehouse)

    rebuild_into(catalogued.log, tmp_path / "scratch.duckdb", projections(), batch_size=1)
    scratch = Warehouse(tmp_path / "scratch.duckdb")
    rebuilt = table_checksums(scratch)
    scratch.close()

    assert rebuilt.position == live.position == 3
    assert differing_tables(live, rebuilt) == []
    assert "member_versions" in live.tables


def test_checksums_notice_a_single_altered_row(catalogued: Services, tmp_path) -> None:
    before = table_checksums(catalogued.warehouse)
    cur = catalogued.warehouse.cursor()
    cur.execute(
        "UPDATE measure_versions SET target = 0.5 WHERE measure_code = 'ae_4hr_performance'"
    )
    cur.close()
    assert differing_tables(before, table_checksums(catalogued.warehouse)) == ["measure_versions"]


class CountsEachEvent:
    """Records every position it is given, to prove none is applied twice or skipped."""

    name = "counting"
    topics = None

    def __init__(self) -> None:
        self.seen: list[int] = []

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        self.seen.extend(r.position for r in batch)


def _ledger_changes(services: Services, demo_catalogue, count: int) -> None:
    operator = Actor.operator("test")
    for index in range(count):
        measures = demo_catalogue.measures[: len(demo_catalogue.measures) - 1 - index % 2]
        apply_catalogue(services.log, demo_catalogue.__class__(demo_catalogue.alliance, measures),
                        operator, source=f"change {index}")


def _counted_projector(
    services: Services, path: Path
) -> tuple[Warehouse, CountsEachEvent, Projector]:
    """A fresh warehouse and a projector of two events a batch that records each position."""
    warehouse = Warehouse(path)
    warehouse.migrate()
    counting = CountsEachEvent()
    return warehouse, counting, Projector(services.log, warehouse, [*projections(), counting],
                                          batch_size=2)


def test_a_backlog_of_many_batches_is_applied_in_order_exactly_once(
    services: Services, demo_catalogue, tmp_path
) -> None:
    _ledger_changes(services, demo_catalogue, 9)
    warehouse, counting, projector = _counted_projector(services, tmp_path / "backlog.duckdb")

    assert projector.catch_up() == services.log.head()

    assert counting.seen == list(range(1, services.log.head() + 1))
    assert differing_tables(table_checksums(warehouse),
                            rebuilt_checksums(services, tmp_path / "one-by-one.duckdb")) == []
    warehouse.close()


def test_two_callers_catching_up_at_once_apply_each_event_once(
    services: Services, demo_catalogue, tmp_path
) -> None:
    """The request threads and the projector thread may all call catch_up together."""
    from concurrent.futures import ThreadPoolExecutor

    _ledger_changes(services, demo_catalogue, 12)
    warehouse, counting, projector = _counted_projector(services, tmp_path / "racing.duckdb")

    with ThreadPoolExecutor(3) as pool:
        positions = list(pool.map(lambda _: projector.catch_up(), range(3)))

    assert positions == [services.log.head()] * 3
    assert counting.seen == list(range(1, services.log.head() + 1))
    warehouse.close()


class WaitsForTheNextRead:
    """Holds each full batch until the read of the batch after it has begun (or 5 s pass)."""

    name = "waiting"
    topics = None

    def __init__(self, head: int) -> None:
        self.head = head
        self.reads_begun: dict[int, threading.Event] = defaultdict(threading.Event)
        self.overlapped: list[bool] = []

    def apply(self, cur: duckdb.DuckDBPyConnection, batch: Sequence[Recorded]) -> None:
        last = batch[-1].position
        if len(batch) == 2 and last < self.head:
            self.overlapped.append(self.reads_begun[last].wait(5))


def test_a_backlog_is_read_once_and_each_next_batch_while_this_one_is_written(
    services: Services, demo_catalogue, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decoding is Python work and DuckDB's writes release the GIL: they overlap."""
    _ledger_changes(services, demo_catalogue, 9)
    warehouse = Warehouse(tmp_path / "ahead.duckdb")
    warehouse.migrate()
    waiting = WaitsForTheNextRead(services.log.head())
    projector = Projector(services.log, warehouse, [*projections(), waiting], batch_size=2)
    read_positions: list[int] = []
    reading = services.log.read

    def counted_read(after: int, limit: int, *, upto: int | None = None) -> list[Recorded]:
        waiting.reads_begun[after].set()
        batch = reading(after, limit, upto=upto)
        read_positions.extend(r.position for r in batch)
        return batch

    monkeypatch.setattr(services.log, "read", counted_read)

    assert projector.catch_up() == services.log.head()

    assert read_positions == list(range(1, services.log.head() + 1))
    assert waiting.overlapped and all(waiting.overlapped)
    warehouse.close()
