"""Property: small-number suppression never leaks, whatever the data.

For random small alliances (members, peer groups, two periods, submissions, restatements and
sign-offs written straight into a real DuckDB warehouse), everything another member or the
board sees (benchmarks, scorecards, "restated since") is the same when every small number of
the other members is replaced by a different small number. Nothing shared can then depend on
a suppressed value, not even through a rank or a statistic.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from warehouse.db import Warehouse
from warehouse.queries.benchmarks import View, measure_benchmarks
from warehouse.queries.benchmarks_restated import restated_since
from warehouse.queries.benchmarks_scorecard import member_scorecard
from warehouse.queries.visibility import Viewer

HEAD = 1_000_000  # read after everything written
MOMENT = datetime(2100, 1, 1, tzinfo=UTC)  # every submission window long closed
PERIODS = (date(2024, 1, 1), date(2024, 2, 1))
# code, kind, improvement, multiplier, small_number_threshold
MEASURES = (("prop", "proportion", "increase", 1.0, 30), ("rate", "rate", "decrease", 1000.0, 20),
            ("cnt", "count", "neutral", 1.0, 10), ("mean", "mean", "decrease", 1.0, None))
THRESHOLD = {m[0]: m[4] for m in MEASURES}
KIND = {m[0]: m[1] for m in MEASURES}


@dataclass(frozen=True)
class Version:
    org: str
    measure: str
    period: date
    numerator: float | None
    denominator: float | None
    value: float
    return_version: int

    def is_small(self) -> bool:
        threshold = THRESHOLD[self.measure]
        if threshold is None:
            return False
        amount = self.value if KIND[self.measure] == "count" else self.denominator
        return amount is not None and amount < threshold


def _version(draw: Any, org: str, measure: str, period: date, return_version: int) -> Version:
    if KIND[measure] in ("proportion", "rate"):
        denominator = draw(st.integers(1, 80))
        numerator = draw(st.integers(0, denominator))
        multiplier = 1000.0 if measure == "rate" else 1.0
        return Version(org, measure, period, numerator, denominator,
                       numerator / denominator * multiplier, return_version)
    value = float(draw(st.integers(0, 40)) if measure == "cnt" else draw(st.integers(1, 9)))
    return Version(org, measure, period, None, None, value, return_version)


@st.composite
def alliances(draw: Any) -> dict[str, Any]:
    """Members with peer groups; per member and period a first submission, maybe a
    restatement after the snapshot, and sign-offs covering none, the first or both."""
    orgs = [f"M{i}" for i in range(draw(st.integers(3, 6)))]
    groups = {org: draw(st.lists(st.sampled_from(["G1", "G2"]), unique=True)) for org in orgs}
    first, later, signed = [], [], {}
    for org in orgs:
        for period in PERIODS:
            measures = draw(st.lists(st.sampled_from([m[0] for m in MEASURES]), unique=True))
            first += [_version(draw, org, m, period, 1) for m in measures]
            restated = draw(st.lists(st.sampled_from(measures), unique=True)) if measures else []
            later += [_version(draw, org, m, period, 2) for m in restated]
            signed[(org, period)] = (draw(st.integers(0, 1)), draw(st.integers(0, 2)))
    viewer = draw(st.sampled_from([None, *orgs]))
    return {"orgs": orgs, "groups": groups, "first": first, "later": later,
            "signed": signed, "viewer": viewer}


def _disguise(version: Version, viewer: str | None) -> Version:
    """Another small number of the same kind, one-to-one, so equal stays equal."""
    if version.org == viewer or not version.is_small():
        return version
    threshold = THRESHOLD[version.measure]
    if KIND[version.measure] == "count":
        return replace(version, value=float(threshold - 1 - version.value))
    denominator = threshold - version.denominator  # type: ignore[operator]
    numerator = version.numerator + 1000  # type: ignore[operator]
    multiplier = 1000.0 if version.measure == "rate" else 1.0
    return replace(version, numerator=numerator, denominator=denominator,
                   value=numerator / denominator * multiplier)


def _load(cur: Any, alliance: dict[str, Any]) -> int:
    """Write the catalogue, the value versions and the sign-offs; return the snapshot."""
    cur.execute("INSERT INTO catalogue_versions VALUES (1, 1, ?, 'test', 'h', 'test', 'a', 'A',"
                " 3, DATE '2020-01-01', 20, 30, '{}')", [MOMENT])
    for i, org in enumerate(alliance["orgs"]):
        cur.execute("INSERT INTO member_versions VALUES (1, ?, ?, 'acute_trust', ?, ?)",
                    [org, f"Member {org}", alliance["groups"][org], i])
    for group in ("G1", "G2"):
        cur.execute("INSERT INTO peer_group_versions VALUES (1, ?, ?, '')", [group, group])
    for i, (code, kind, improvement, multiplier, threshold) in enumerate(MEASURES):
        cur.execute("INSERT INTO measure_versions VALUES (1, ?, ?, 'd', ?, 'u', ?, NULL, NULL,"
                    " NULL, NULL, ?, 0.5, ?, '', '', ?, [])",
                    [code, code, kind, improvement, multiplier, threshold, i])
    position = _write_versions(cur, alliance["first"], 10, alliance["signed"], 0)
    snapshot = position
    _write_versions(cur, alliance["later"], position + 1, alliance["signed"], 1)
    return snapshot


def _write_versions(cur: Any, versions: list[Version], start: int,
                    signed: dict[tuple[str, date], tuple[int, int]], phase: int) -> int:
    position = start
    for v in versions:
        position += 1
        cur.execute("INSERT INTO value_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x',"
                    " NULL, NULL)",
                    [position, _return_id(v.org, v.period), v.return_version, v.org, v.measure,
                     v.period, v.value, v.numerator, v.denominator,
                     "submitted" if v.return_version == 1 else "restated", MOMENT])
    for (org, period), covers in signed.items():
        if covers[phase]:
            position += 1
            cur.execute("INSERT INTO return_events (position, return_id, org_code, period,"
                        " event_type, version, recorded_at, actor, value_count, covers_version)"
                        " VALUES (?, ?, ?, ?, 'signed_off', 9, ?, 'x', 0, ?)",
                        [position, _return_id(org, period), org, period, MOMENT, covers[phase]])
    return position


def _return_id(org: str, period: date) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{org}/{period}"))


def _shared_output(alliance: dict[str, Any]) -> str:
    """Everything the viewer can read, as one JSON text."""
    warehouse = Warehouse(":memory:")
    warehouse.migrate()
    try:
        with warehouse.transaction() as cur:
            snapshot = _load(cur, alliance)
        with warehouse.reading() as cur:
            view = View(position=HEAD, moment=MOMENT, viewer=Viewer(alliance["viewer"]))
            out: list[Any] = []
            for code, *_ in MEASURES:
                out.append(restated_since(cur, view, code, snapshot))
                # Peer statistics and ranks of every group are in each answer already.
                out += [measure_benchmarks(cur, view, code, period=p) for p in PERIODS]
            for org in alliance["orgs"]:
                out.append(member_scorecard(cur, view, org, period=PERIODS[1]))
    finally:
        warehouse.close()
    return json.dumps(out, default=str, sort_keys=True)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alliance=alliances())
def test_nothing_shared_depends_on_another_members_small_numbers(alliance: dict[str, Any]) -> None:
    viewer = alliance["viewer"]
    disguised = {**alliance,
                 "first": [_disguise(v, viewer) for v in alliance["first"]],
                 "later": [_disguise(v, viewer) for v in alliance["later"]]}

    assert _shared_output(alliance) == _shared_output(disguised)
