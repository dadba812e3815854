"""One contract for the event log, run against SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest
from eventsourcing.cipher import AESCipher

from concord.services import open_log
from concord.settings import Settings
from ingest.catalogue.aggregate import CatalogueLedger
from ingest.log.codec import ZSTD_MAGIC, EventCompressor
from ingest.log.errors import Conflict
from ingest.log.store import EventLog
from ingest.returns.aggregate import MemberReturn

SECRET_MARKER = "Patient-free but confidential target 0.987654321"


def _ledger_with(document: dict, actor: str = "cli:alice") -> CatalogueLedger:
    ledger = CatalogueLedger(actor=actor)
    ledger.record(actor=actor, org_code=None, document=document, content_hash="h1", source="t")
    return ledger


def test_appended_events_come_back_in_order_with_gap_free_positions(any_log: EventLog) -> None:
    first = any_log.append(_ledger_with({"n": 1}))
    ledger = any_log.load(CatalogueLedger.create_id(""))
    ledger.record(actor="cli:bob", org_code=None, document={"n": 2}, content_hash="h2", source="t")
    second = any_log.append(ledger)

    recorded = any_log.read(0, 100)

    assert [r.position for r in recorded] == [1, 2, 3]
    assert (first, second) == (2, 3)
    assert any_log.head() == 3
    assert [r.event.actor for r in recorded] == ["cli:alice", "cli:alice", "cli:bob"]
    assert recorded[2].event.document == {"n": 2}
    assert [r.position for r in any_log.read(1, 1)] == [2]


def test_events_are_stored_under_stable_names(any_log: EventLog) -> None:
    any_log.append(_ledger_with({"n": 1}))
    topics = [n.topic for n in any_log.recorder.select_notifications(start=1, limit=10)]
    assert topics == ["concord:CatalogueLedgerCreated", "concord:CatalogueApplied"]


def test_second_writer_at_the_same_version_gets_a_conflict(any_log: EventLog) -> None:
    any_log.append(_ledger_with({"n": 1}))
    ledger_id = CatalogueLedger.create_id("")
    writer_a = any_log.load(ledger_id)
    writer_b = any_log.load(ledger_id)
    writer_a.record(actor="a", org_code=None, document={"w": "a"}, content_hash="a", source="t")
    writer_b.record(actor="b", org_code=None, document={"w": "b"}, content_hash="b", source="t")

    any_log.append(writer_a)
    with pytest.raises(Conflict):
        any_log.append(writer_b)

    assert any_log.load(ledger_id).document == {"w": "a"}
    assert any_log.head() == 3


def test_stored_events_are_compressed(any_log: EventLog) -> None:
    any_log.append(_ledger_with({"values": [0.5] * 5000}))
    state = any_log.recorder.select_notifications(start=2, limit=1)[0].state
    assert state[:4] == ZSTD_MAGIC
    assert len(state) < 2000


def test_events_stored_zlib_compressed_by_earlier_versions_still_read(
    any_log: EventLog,
) -> None:
    """Before Zstandard, events were stored as zlib streams; a log keeps them forever."""
    any_log.append(_ledger_with({"note": "kept"}))
    new = any_log.recorder.select_notifications(start=2, limit=1)[0].state
    old = zlib.compress(EventCompressor().decompress(new), 1)

    assert EventCompressor().decompress(old) == EventCompressor().decompress(new)


def test_cipher_key_encrypts_events_at_rest(any_log: EventLog) -> None:
    key = AESCipher.create_key(32)
    encrypted = EventLog(any_log.url, cipher_key=key, schema=any_log.env.get("SQLALCHEMY_SCHEMA"))
    try:
        encrypted.append(_ledger_with({"note": SECRET_MARKER}))
        state = encrypted.recorder.select_notifications(start=2, limit=1)[0].state
        assert SECRET_MARKER.encode() not in state
        assert encrypted.read(0, 10)[1].event.document == {"note": SECRET_MARKER}
        wrong_key = EventLog(any_log.url, cipher_key=AESCipher.create_key(32),
                             schema=any_log.env.get("SQLALCHEMY_SCHEMA"))
        with pytest.raises(ValueError):
            wrong_key.read(0, 10)
        wrong_key.close()
    finally:
        encrypted.close()


def _returns(org_code: str, months: int) -> list[MemberReturn]:
    return [
        MemberReturn.first_submission(
            actor="cli:alice", org_code=org_code, period=f"2024-{month:02d}",
            values={"measure_code": ["m"], "value": [float(month)], "numerator": [None],
                    "denominator": [None], "comment": [None]},
            warnings=[], submission_id=f"{org_code}-{month}", source="t")
        for month in range(1, months + 1)
    ]


def test_concurrent_appends_each_report_the_position_of_their_own_last_event(
    any_log: EventLog,
) -> None:
    """Positions come from the database, whichever writer's rows went in first."""
    batches = {f"ORG{n}": _returns(f"ORG{n}", 6) for n in range(4)}
    with ThreadPoolExecutor(4) as pool:
        reported = dict(zip(batches, pool.map(lambda b: any_log.append(*b), batches.values()),
                            strict=True))

    recorded = {r.position: r.event for r in any_log.read(0, 100)}
    assert sorted(recorded) == list(range(1, 25))
    for org_code, position in reported.items():
        assert recorded[position].org_code == org_code
        assert recorded[position].period == "2024-06"
        mine = [p for p, e in recorded.items() if e.org_code == org_code]
        assert mine == list(range(position - 5, position + 1))


def test_a_new_sqlite_log_is_in_write_ahead_mode_before_its_first_write(
    settings: Settings,
) -> None:
    """Concurrent first writers must not race the switch to WAL ("database is locked")."""
    log = open_log(settings)
    try:
        path = settings.event_store_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(path)) as connection:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert log.head() == 0
    finally:
        log.close()


def test_each_saved_event_is_told_its_own_position(any_log: EventLog) -> None:
    any_log.append(*_returns("ORG0", 2))
    recordings = any_log.save(*_returns("ORG1", 5))

    recorded = {r.position: r.event for r in any_log.read(0, 100)}
    for recording in recordings:
        stored = recorded[recording.notification.id]
        assert (stored.originator_id, stored.originator_version) == (
            recording.domain_event.originator_id, recording.domain_event.originator_version)
    assert [r.notification.id for r in recordings] == [3, 4, 5, 6, 7]


def test_loading_many_aggregates_at_once_gives_what_loading_each_gives(
    any_log: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ingest.log.persistence.IDS_PER_QUERY", 4)  # several queries
    saved = _returns("ORG0", 6) + _returns("ORG1", 5)
    any_log.append(*saved)
    restated = any_log.load(saved[0].id)
    restated.restate(values={"measure_code": ["m"], "value": [9.0], "numerator": [None],
                             "denominator": [None], "comment": [None]},
                     reason="typo", warnings=[], actor="cli:bob", org_code="ORG0",
                     submission_id="s", source="t")
    any_log.append(restated)
    never_saved = MemberReturn.first_submission(
        actor="a", org_code="ORG9", period="2024-01", values={"measure_code": []},
        warnings=[], submission_id="x", source="t").id

    loaded = any_log.load_many([r.id for r in saved] + [never_saved])

    assert sorted(loaded) == sorted(r.id for r in saved)
    for aggregate_id, aggregate in loaded.items():
        one = any_log.load(aggregate_id)
        assert (aggregate.version, aggregate.__dict__) == (one.version, one.__dict__)
    assert loaded[saved[0].id].version == 2
