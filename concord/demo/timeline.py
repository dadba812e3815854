"""When the alliance would have received the demo returns: on time, late, missing, restated.

Only TIMING is simulated for the real NHS A&E rows: their values reach the batches exactly as
``load_ae_returns`` produced them. Each member's return for a period (its A&E rows and its
synthetic rows together) arrives in one of four moments of that period, or never:

- on time: 7 or 2 days before the due date (most members);
- late: 6 or 16 days after the due date, before the lock date (``LATE_SHARE`` on average);
- missing: never sent; its rows are dropped (``MISSING_SHARE`` on average).

Each member has its own propensity to be late or missing (a few members are habitually late),
drawn from a beta distribution with those means. ``RESTATEMENTS`` on-time returns are then
corrected 2-4 weeks later, before the lock date, with a reason (see ``restatements``).
Members sending at the same moment share one batch, so the whole history is about 160 batches.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Literal

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from concord.demo.long_format import DEFAULT_SEED, SYNTHETIC_COMMENT, demo_query, to_long
from concord.demo.restatements import choose_restatement
from ingest.catalogue.model import Catalogue

BatchKind = Literal["submit", "restate"]
LATE_SHARE = 0.08
MISSING_SHARE = 0.02
RESTATEMENTS = 20
# (label, days after the due date, hour UTC); on-time moments first, then late ones.
ON_TIME_MOMENTS = (("on time", -7, 10), ("on time", -2, 15))
LATE_MOMENTS = (("late", 6, 11), ("late", 16, 11))
MOMENTS = ON_TIME_MOMENTS + LATE_MOMENTS
RESTATE_DAYS = (14, 28)  # restated 2-4 weeks after the original, always before the lock date
RESTATE_HOUR = 16
SQL_FILE = "timeline.sql"


@dataclass(frozen=True)
class DemoBatch:
    """Rows recorded together at ``recorded_at`` (UTC); ``rows`` are typed ``LONG_SCHEMA``.

    A "submit" batch holds every row of every member sending at that moment; a "restate" batch
    holds only the values one member corrects, and ``reason`` says why.
    """

    recorded_at: datetime
    kind: BatchKind
    rows: pa.Table
    reason: str | None
    label: str


def demo_timeline(
    catalogue: Catalogue, ae_rows: pa.Table, synthetic_rows: pa.Table, seed: int = DEFAULT_SEED
) -> list[DemoBatch]:
    """Every demo batch in recorded order (strictly increasing ``recorded_at``).

    The same inputs and seed always give the same batches.
    """
    _check_calendar(catalogue)
    rng = np.random.default_rng([seed, zlib.crc32(b"timeline")])
    with duckdb.connect() as con:
        con.register("demo_rows", pa.concat_tables([to_long(ae_rows), to_long(synthetic_rows)]))
        member_periods = con.sql(
            demo_query(SQL_FILE, "member_periods"), params=[SYNTHETIC_COMMENT]
        ).to_arrow_table()
        schedule = _schedule(catalogue, member_periods, rng)
        con.register("schedule", schedule)
        sent = con.sql(demo_query(SQL_FILE, "scheduled_rows")).to_arrow_table()
    batches = _submit_batches(sent) + _restate_batches(catalogue, sent, schedule, rng)
    batches.sort(key=lambda b: b.recorded_at)
    times = [b.recorded_at for b in batches]
    if any(later <= earlier for earlier, later in pairwise(times)):
        raise RuntimeError("demo timeline moments collide; recorded_at must strictly increase")
    return batches


def _check_calendar(catalogue: Catalogue) -> None:
    """Late returns and restatements must land before the lock, or validation would refuse them."""
    last_on_time = max(days for _, days, _ in ON_TIME_MOMENTS)
    latest = max(*(days for _, days, _ in LATE_MOMENTS), last_on_time + RESTATE_DAYS[1])
    lock = catalogue.alliance.calendar.lock_days_after_due
    if latest >= lock:
        raise ValueError(f"the demo timeline needs returns to lock more than {latest} days after "
                         f"the due date; the calendar locks them after {lock}")


def _schedule(
    catalogue: Catalogue, member_periods: pa.Table, rng: np.random.Generator
) -> pa.Table:
    """``member_periods`` plus the moment index (-1 = never sent) and its recorded_at."""
    org_codes = member_periods["org_code"].to_numpy(zero_copy_only=False).astype(str)
    periods = member_periods["period"].to_numpy(zero_copy_only=False).astype(str)
    members, member_index = np.unique(org_codes, return_inverse=True)
    p_missing = rng.beta(1, (1 - MISSING_SHARE) / MISSING_SHARE, size=len(members))
    p_late = rng.beta(2, 2 * (1 - LATE_SHARE) / LATE_SHARE, size=len(members))
    draw = rng.random(len(periods))
    on_time_moment = rng.integers(0, len(ON_TIME_MOMENTS), size=len(periods))
    late_moment = rng.integers(len(ON_TIME_MOMENTS), len(MOMENTS), size=len(periods))
    missing = draw < p_missing[member_index]
    late = ~missing & (draw < (p_missing + p_late)[member_index])
    moment = np.where(missing, -1, np.where(late, late_moment, on_time_moment))
    return member_periods.append_column("moment", pa.array(moment, pa.int64())).append_column(
        "recorded_at", _moment_times(catalogue, periods, moment)
    )


def _due_dates(catalogue: Catalogue, periods: np.ndarray) -> np.ndarray:
    """Due date of each 'YYYY-MM' period: the calendar's days after the month's end."""
    month_end = (periods.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    return month_end + catalogue.alliance.calendar.due_days_after_month_end


def _moment_times(catalogue: Catalogue, periods: np.ndarray, moment: np.ndarray) -> pa.Array:
    offsets = np.array([days for _, days, _ in MOMENTS])
    hours = np.array([hour for _, _, hour in MOMENTS])
    index = np.maximum(moment, 0)  # a missing return gets a time it is never recorded at
    due = _due_dates(catalogue, periods).astype("datetime64[s]")
    when = due + offsets[index].astype("timedelta64[D]") + hours[index].astype("timedelta64[h]")
    return pa.array(when, pa.timestamp("s", tz="UTC"))


def _submit_batches(sent: pa.Table) -> list[DemoBatch]:
    """One batch per (period, moment); ``sent`` is ordered by recorded_at, then member."""
    times = sent["recorded_at"].cast(pa.int64()).to_numpy()
    starts = np.flatnonzero(np.r_[True, times[1:] != times[:-1]])
    ends = np.r_[starts[1:], len(times)]
    batches = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        chunk = sent.slice(start, end - start)
        label, _, _ = MOMENTS[chunk["moment"][0].as_py()]
        members = len(pc.unique(chunk["org_code"]))
        batches.append(DemoBatch(
            recorded_at=chunk["recorded_at"][0].as_py(),
            kind="submit",
            rows=to_long(chunk),
            reason=None,
            label=f"{chunk['period'][0].as_py()} returns, {label}: {members} members",
        ))
    return batches


def _restate_batches(
    catalogue: Catalogue, sent: pa.Table, schedule: pa.Table, rng: np.random.Generator
) -> list[DemoBatch]:
    """``RESTATEMENTS`` corrections of distinct on-time member-periods holding synthetic rows."""
    on_time = pc.is_in(schedule["moment"], pa.array(range(len(ON_TIME_MOMENTS)), pa.int64()))
    candidates = schedule.filter(pc.and_(on_time, schedule["has_synthetic"]))
    picked = rng.choice(candidates.num_rows, size=min(RESTATEMENTS, candidates.num_rows),
                        replace=False)
    batches = []
    for minute, row in enumerate(candidates.take(np.sort(picked)).to_pylist()):
        original = sent.filter(pc.and_(pc.equal(sent["org_code"], row["org_code"]),
                                       pc.equal(sent["period"], row["period"])))
        restatement = choose_restatement(catalogue, to_long(original), rng)
        if restatement is None:
            continue
        delay = timedelta(days=int(rng.integers(*RESTATE_DAYS)))
        at = row["recorded_at"].replace(hour=RESTATE_HOUR, minute=minute) + delay
        batches.append(DemoBatch(
            recorded_at=at.astimezone(UTC),
            kind="restate",
            rows=restatement.rows,
            reason=restatement.reason,
            label=f"{row['period']} restatement by {row['org_code']}: "
                  f"{', '.join(restatement.rows['measure_code'].to_pylist())}",
        ))
    return batches
