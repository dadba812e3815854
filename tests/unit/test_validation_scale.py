"""Validation at upload scale: 200k valid rows pass; 200k rows of garbage give a bounded report.

Times are printed (run with -s) rather than asserted: CI machines vary too much for a timed
assertion to mean anything.
"""

from __future__ import annotations

import time
from datetime import date

import numpy as np
import pyarrow as pa

from ingest.catalogue.model import Catalogue
from ingest.returns.columns import RAW_SCHEMA
from ingest.validation import MAX_ISSUES_PER_CODE, validate, validation_summary
from ingest.validation.contracts import UNLOCKED_SCHEMA
from ingest.validation.validator import MORE_ISSUES
from tests.unit.test_validation_support import context, months_before

ROWS = 200_000
TODAY = date(2024, 6, 15)


def _valid_upload(catalogue: Catalogue, months: list[str]) -> pa.Table:
    """Every member x measure x month once: counts as values, ratio kinds as their parts."""
    members = np.array([m.code for m in catalogue.alliance.members])
    measures = np.array([m.code for m in catalogue.measures])
    is_ratio = np.array([m.is_ratio for m in catalogue.measures])
    n = len(months) * len(members) * len(measures)
    index = np.arange(n)
    measure = index % len(measures)
    rng = np.random.default_rng(7)
    denominator = rng.integers(100, 10_000, n)
    numerator = (denominator * rng.uniform(0.2, 0.9, n)).astype(np.int64)
    value = np.round(rng.uniform(0.5, 9.5, n), 3).astype(str)
    ratio = is_ratio[measure]
    return pa.table({
        "row": index + 2,
        "org_code": members[(index // len(measures)) % len(members)],
        "measure_code": measures[measure],
        "period": np.array(months)[index // (len(members) * len(measures))],
        "value": pa.array(np.where(ratio, None, value)),
        "numerator": pa.array(np.where(ratio, numerator.astype(str), None)),
        "denominator": pa.array(np.where(ratio, denominator.astype(str), None)),
        "comment": pa.nulls(n, pa.string()),
    }, schema=RAW_SCHEMA)


def _unlocked_for(catalogue: Catalogue, months: list[str]) -> pa.Table:
    """An admin unlocked every month of the backfill until today."""
    pairs = [(m.code, p) for m in catalogue.alliance.members for p in months]
    return pa.table({
        "org_code": [org for org, _ in pairs],
        "period": [date(int(p[:4]), int(p[5:]), 1) for _, p in pairs],
        "unlocked_until": [TODAY] * len(pairs),
    }, schema=UNLOCKED_SCHEMA)


def _garbage(n: int) -> pa.Table:
    """A different meaningless word in every cell but the comment."""
    rng = np.random.default_rng(11)
    columns = {name: np.char.add(f"{name[:3]}?", rng.permutation(n).astype(str))
               for name in RAW_SCHEMA.names[1:-1]}
    return pa.table({"row": np.arange(n) + 2, **columns, "comment": pa.nulls(n, pa.string())},
                    schema=RAW_SCHEMA)


def test_two_hundred_thousand_valid_rows_validate(demo_catalogue: Catalogue) -> None:
    per_month = len(demo_catalogue.alliance.members) * len(demo_catalogue.measures)
    months = months_before("2024-06", -(-ROWS // per_month))
    upload = _valid_upload(demo_catalogue, months)
    ctx = context(demo_catalogue, today=TODAY, unlocked=_unlocked_for(demo_catalogue, months))
    started = time.perf_counter()
    result = validate(upload, ctx)
    elapsed = time.perf_counter() - started
    print(f"\nvalidate: {upload.num_rows:,} valid rows in {elapsed:.2f} s")
    assert result.errors == []
    assert result.rows.num_rows == upload.num_rows
    assert set(result.rows["change"].to_pylist()) == {"new"}


def test_two_hundred_thousand_garbage_rows_give_a_bounded_report(
    demo_catalogue: Catalogue,
) -> None:
    upload = _garbage(ROWS)
    started = time.perf_counter()
    result = validate(upload, context(demo_catalogue))
    elapsed = time.perf_counter() - started
    print(f"\nvalidate: {upload.num_rows:,} garbage rows in {elapsed:.2f} s, "
          f"{len(result.errors):,} issues listed of {sum(result.issue_counts.values()):,}")
    assert result.issue_counts == {
        "bad_period": ROWS, "not_a_number": 3 * ROWS, "unknown_measure": ROWS,
        "unknown_member": ROWS,
    }
    assert len(result.errors) == 4 * (MAX_ISSUES_PER_CODE + 1)
    more = [issue for issue in result.errors if issue.code == MORE_ISSUES]
    assert [m.message.split(" more")[0] for m in more] == ["199,000", "599,000", "199,000",
                                                           "199,000"]
    summary = validation_summary(result)
    assert summary["errors"] == 6 * ROWS
    assert summary["by_code"]["not_a_number"] == {"severity": "error", "count": 3 * ROWS,
                                                  "listed": MAX_ISSUES_PER_CODE}
