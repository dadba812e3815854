"""The demo timeline: realistic timeliness, corrections with reasons, real values untouched."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from concord.demo.long_format import LONG_SCHEMA, SYNTHETIC_COMMENT, to_raw
from concord.demo.nhs_ae import AeLoad, load_ae_returns
from concord.demo.synthetic import synthetic_returns
from concord.demo.timeline import (
    LATE_SHARE,
    MISSING_SHARE,
    RESTATEMENTS,
    DemoBatch,
    demo_timeline,
)
from ingest.catalogue.model import Catalogue
from ingest.returns.columns import RAW_SCHEMA

DUE_DAYS, LOCK_DAYS = 20, 30  # config/alliance.toml [calendar]


@pytest.fixture(scope="module")
def ae() -> AeLoad:
    return load_ae_returns()


@pytest.fixture(scope="module")
def synthetic(demo_catalogue: Catalogue) -> pa.Table:
    return synthetic_returns(demo_catalogue)


@pytest.fixture(scope="module")
def batches(demo_catalogue: Catalogue, ae: AeLoad, synthetic: pa.Table) -> list[DemoBatch]:
    return demo_timeline(demo_catalogue, ae.rows, synthetic, seed=20161)


def _due(period: str) -> datetime:
    year, month = map(int, period.split("-"))
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    month_end = first_of_next - timedelta(days=1)
    return datetime(month_end.year, month_end.month, month_end.day, tzinfo=UTC) + timedelta(
        days=DUE_DAYS
    )


def _submits(batches: list[DemoBatch]) -> list[DemoBatch]:
    return [b for b in batches if b.kind == "submit"]


def _restates(batches: list[DemoBatch]) -> list[DemoBatch]:
    return [b for b in batches if b.kind == "restate"]


def _member_periods(table: pa.Table) -> set[tuple[str, str]]:
    pairs = table.group_by(["org_code", "period"]).aggregate([])
    return set(zip(pairs["org_code"].to_pylist(), pairs["period"].to_pylist(), strict=True))


def test_batches_are_strictly_ordered_in_utc(batches: list[DemoBatch]) -> None:
    times = [b.recorded_at for b in batches]
    assert all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in times)
    assert all(later > earlier for earlier, later in pairwise(times))


def test_whole_history_is_a_few_hundred_batches_at_most(batches: list[DemoBatch]) -> None:
    assert 100 <= len(batches) <= 200
    assert all(b.rows.schema == LONG_SCHEMA for b in batches)
    for batch in _submits(batches):
        assert len(pc.unique(batch.rows["period"])) == 1  # one batch per (period, moment)


def test_each_return_is_sent_once_on_time_late_or_never(
    batches: list[DemoBatch], ae: AeLoad, synthetic: pa.Table
) -> None:
    held = _member_periods(pa.concat_tables([ae.rows, synthetic]))
    late, on_time = set(), set()
    for batch in _submits(batches):
        pairs = _member_periods(batch.rows)
        due = _due(batch.rows["period"][0].as_py())
        if batch.recorded_at > due:
            assert batch.recorded_at < due + timedelta(days=LOCK_DAYS)
            assert "late" in batch.label
            late |= pairs
        else:
            assert due - timedelta(days=8) < batch.recorded_at
            on_time |= pairs
    sent = late | on_time
    assert not late & on_time and sent <= held
    assert sum(len(_member_periods(b.rows)) for b in _submits(batches)) == len(sent)
    missing_share, late_share = 1 - len(sent) / len(held), len(late) / len(held)
    assert MISSING_SHARE / 2 <= missing_share <= MISSING_SHARE * 1.5
    assert LATE_SHARE * 0.75 <= late_share <= LATE_SHARE * 1.25


def test_real_ae_values_reach_the_batches_unchanged(batches: list[DemoBatch], ae: AeLoad) -> None:
    sent = pa.concat_tables([b.rows for b in batches])
    real_sent = sent.filter(pc.invert(pc.fill_null(
        pc.match_substring(sent["comment"], SYNTHETIC_COMMENT), False)))
    assert real_sent.num_rows > 0.95 * ae.rows.num_rows
    with duckdb.connect() as con:
        con.register("sent", real_sent)
        con.register("loaded", ae.rows)
        assert con.execute("SELECT * FROM sent EXCEPT ALL SELECT * FROM loaded").fetchall() == []


def test_restatements_correct_a_few_synthetic_values_with_a_reason(
    batches: list[DemoBatch], synthetic: pa.Table
) -> None:
    restates = _restates(batches)
    assert len(restates) == RESTATEMENTS
    assert len({_member_periods(b.rows).pop() for b in restates}) == RESTATEMENTS
    with duckdb.connect() as con:
        con.register("original", synthetic)
        for batch in restates:
            assert batch.reason and batch.reason in batch.rows["comment"][0].as_py()
            assert 1 <= batch.rows.num_rows <= 3
            assert len(_member_periods(batch.rows)) == 1
            con.register("restated", batch.rows)
            changes = con.execute(
                "SELECT coalesce(r.value, r.numerator) AS new, coalesce(o.value, o.numerator) "
                "       AS old, r.denominator IS NOT DISTINCT FROM o.denominator "
                "FROM restated AS r JOIN original AS o USING (org_code, measure_code, period)"
            ).fetchall()
            assert len(changes) == batch.rows.num_rows
            # A few per cent, or one whole unit where a few per cent would round to nothing.
            assert all(new != old and (abs(new - old) <= 1 or abs(new / old - 1) <= 0.1)
                       and same_denominator for new, old, same_denominator in changes)


def test_restatements_follow_their_original_within_the_lock(batches: list[DemoBatch]) -> None:
    first_sent = {}
    for batch in _submits(batches):
        for pair in _member_periods(batch.rows):
            first_sent[pair] = batch.recorded_at
    for batch in _restates(batches):
        [pair] = _member_periods(batch.rows)
        gap = batch.recorded_at - first_sent[pair]
        assert timedelta(days=14) <= gap <= timedelta(days=28)
        assert batch.recorded_at < _due(pair[1]) + timedelta(days=LOCK_DAYS)


def test_timeline_is_deterministic_for_a_seed(
    demo_catalogue: Catalogue, ae: AeLoad, synthetic: pa.Table, batches: list[DemoBatch]
) -> None:
    again = demo_timeline(demo_catalogue, ae.rows, synthetic, seed=20161)
    assert [(b.recorded_at, b.label, b.reason) for b in again] == [
        (b.recorded_at, b.label, b.reason) for b in batches
    ]
    assert all(a.rows.equals(b.rows) for a, b in zip(again, batches, strict=True))
    other = demo_timeline(demo_catalogue, ae.rows, synthetic, seed=1)
    assert [b.label for b in other] != [b.label for b in batches]


def test_sample_batches_pass_upload_validation_on_their_day(
    demo_catalogue: Catalogue, batches: list[DemoBatch]
) -> None:
    from ingest.log.actor import Actor
    from ingest.validation.contracts import ValidationContext
    from ingest.validation.validator import validate

    late = next(b for b in batches if "late" in b.label)
    for batch in (batches[0], late, _restates(batches)[0]):
        raw = to_raw(batch.rows)
        assert raw.schema == RAW_SCHEMA and raw["row"][0].as_py() == 2
        context = ValidationContext(catalogue=demo_catalogue, actor=Actor.operator("demo"),
                                    today=batch.recorded_at.date())
        result = validate(raw, context)
        assert result.errors == [], batch.label
        assert result.rows.num_rows == batch.rows.num_rows
