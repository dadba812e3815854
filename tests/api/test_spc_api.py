"""SPC charts through the API, and the board's decisions that redraw them.

Histories are recorded through the real submission path with a simulated clock (an admin
loader submits each month just after it ended, and the return is signed off), so the charts
read exactly what a member's uploads would have produced.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import pyarrow as pa
import pytest
from flask.testing import FlaskClient

from concord.api.spc_schemas import SpcChartSchema
from concord.demo.long_format import LONG_SCHEMA, to_raw
from concord.services import Services
from ingest.log.actor import Actor, Role
from ingest.log.clock import simulated_clock
from ingest.returns.commands import Submission, submit_returns
from ingest.returns.lifecycle import sign_off_return
from ingest.returns.periods import parse_period
from tests.api.conftest import token_for
from warehouse.asof import moment_of
from warehouse.queries import funnel_data, spc_series
from warehouse.queries.catalogue import measures_at
from warehouse.queries.funnel_data import funnel_for_period, funnel_plot, latest_visible_period
from warehouse.queries.spc_series import member_charts
from warehouse.queries.visibility import Viewer

LOADER = Actor(id="system:test-loader", role=Role.ADMIN)
MEASURE = "ae_4hr_performance"  # a proportion, higher is better, target 0.95
HISTORY = [f"{year}-{month:02d}" for year in (2017, 2018) for month in range(1, 13)]
NOISE = (0.012, -0.008, 0.004, -0.011, 0.007, -0.003, 0.010, -0.006, 0.002, -0.009, 0.005,
         -0.004)
# (org_code, measure_code, period, value, numerator, denominator)
Row = tuple[str, str, str, float | None, float | None, float | None]


def level_series(levels: Sequence[float]) -> list[float]:
    """One value per month of HISTORY: each level plus a small, fixed wobble."""
    return [round(level + NOISE[i % len(NOISE)], 3) for i, level in enumerate(levels)]


SHIFTED = level_series([0.85] * 12 + [0.70] * 12)  # a clear fall in 2018


def proportion_rows(org: str, values: Sequence[float], periods: Sequence[str] = HISTORY,
                    measure: str = MEASURE, denominator: int = 1000) -> list[Row]:
    return [(org, measure, period, None, round(value * denominator), denominator)
            for period, value in zip(periods, values, strict=True)]


def submit_history(services: Services, rows: Sequence[Row], *, sign_off: bool = True) -> int:
    """Submit the rows two months at a time, ten days after the later month ended (the
    earlier one is not locked yet), sign them off and project them.

    Returns the log position of the last event written.
    """
    by_upload: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        year, month = int(row[2][:4]), int(row[2][5:7])
        later = year * 12 + month - 1 + (month % 2)  # pairs: Jan+Feb, Mar+Apr, ...
        by_upload[f"{later // 12}-{later % 12 + 1:02d}"].append(row)
    for last_period in sorted(by_upload):
        year, month = int(last_period[:4]), int(last_period[5:7])
        at = datetime(year + month // 12, month % 12 + 1, 10, 9, 0, tzinfo=UTC)
        with simulated_clock(at):
            report = submit_returns(
                services.log, services.catalogue(), services.held_returns(),
                Submission(raw=to_raw(_long(by_upload[last_period])), actor=LOADER,
                           source="test:history", reason="test history"),
                today=at.date())
            for receipt in report.returns if sign_off else ():
                sign_off_return(services.log, LOADER, receipt.org_code, receipt.period)
    services.projector.catch_up()
    return services.log.head()


def _long(rows: Sequence[Row]) -> pa.Table:
    names = LONG_SCHEMA.names[:6]
    return pa.Table.from_pylist(
        [dict(zip(names, row, strict=True)) | {"comment": None} for row in rows],
        schema=LONG_SCHEMA)


def executive_headers(services: Services) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(services, 'eve', 'executive')}"}


def spc(client: FlaskClient, headers: dict[str, str], query: str = "") -> dict:
    response = client.get(f"/api/v1/measures/{MEASURE}/spc{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def rebase(client: FlaskClient, headers: dict[str, str], **body: object) -> tuple[int, dict]:
    payload = {"org_code": "RTX", "period": "2018-01", "reason": "new triage model",
               "meeting": "Board 2019-02-12, item 4", **body}
    response = client.post(f"/api/v1/measures/{MEASURE}/spc/rebase", json=payload,
                           headers=headers)
    return response.status_code, response.get_json()


def test_a_clear_fall_is_special_cause_concern_with_the_concern_icon(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))

    chart = spc(client, board_headers, "?org_code=RTX")

    assert (chart["measure_code"], chart["improvement"], chart["target"]) == (
        MEASURE, "increase", 0.95)
    [member] = chart["members"]
    assert member["org_code"] == "RTX"
    assert [p["period"] for p in member["points"]] == HISTORY
    assert [p["value"] for p in member["points"]] == SHIFTED
    assert len(member["groups"]) == 1
    late = member["points"][12:]
    assert all(p["point_type"] == "special_cause_concern" for p in late)
    assert all(p["special_cause_flag"] for p in late)
    assert member["variation_icon"] == "concern_low"
    assert member["assurance_type"] == "consistent_fail"  # 0.95 is above the upper limit


def test_rebasing_through_the_api_redraws_the_chart_and_records_who_why_and_where(
    client: FlaskClient, admin_headers, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))
    before_decision = catalogued.log.head()

    status, recorded = rebase(client, executive_headers(catalogued))

    assert status == 200, recorded
    member = spc(client, board_headers, "?org_code=RTX")["members"][0]
    assert member["rebase_periods"] == ["2018-01"]
    assert [(g["start_period"], g["end_period"], g["n"]) for g in member["groups"]] == [
        ("2017-01", "2017-12", 12), ("2018-01", "2018-12", 12)]
    assert member["points"][12]["mean"] == member["groups"][1]["mean"]
    assert member["variation_icon"] == "common_cause"
    [decision] = client.get(f"/api/v1/measures/{MEASURE}/spc/decisions",
                            headers=board_headers).get_json()
    assert decision["position"] == recorded["position"]
    assert decision["actor"] == "user:eve"
    assert (decision["decision"], decision["org_code"], decision["period"]) == (
        "rebased", "RTX", "2018-01")
    assert (decision["reason"], decision["meeting"]) == (
        "new triage model", "Board 2019-02-12, item 4")
    old = spc(client, board_headers, f"?org_code=RTX&as_of={before_decision}")["members"][0]
    assert len(old["groups"]) == 1 and old["rebase_periods"] == []
    assert old["variation_icon"] == "concern_low"


def test_a_board_member_cannot_record_spc_decisions_but_an_executive_can(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))

    refused, problem = rebase(client, board_headers)
    refused_fix = client.post(f"/api/v1/measures/{MEASURE}/spc/fix-baseline", json={
        "n_points": 12, "reason": "stable year", "meeting": "Board"}, headers=board_headers)

    assert refused == 403 and refused_fix.status_code == 403
    assert problem["code"] == "forbidden"
    assert client.get(f"/api/v1/measures/{MEASURE}/spc/decisions",
                      headers=board_headers).get_json() == []
    fixed = client.post(f"/api/v1/measures/{MEASURE}/spc/fix-baseline", json={
        "n_points": 12, "reason": "stable year", "meeting": "Board"},
        headers=executive_headers(catalogued))
    assert fixed.status_code == 200, fixed.get_json()
    member = spc(client, board_headers, "?org_code=RTX")["members"][0]
    assert member["fix_after_n_points"] == 12  # alliance-wide decision applies to RTX


def test_a_decision_needs_a_reason_and_a_meeting_and_a_baseline_twelve_points(
    client: FlaskClient, admin_headers
) -> None:
    no_meeting = client.post(f"/api/v1/measures/{MEASURE}/spc/rebase", json={
        "period": "2018-01", "reason": "x"}, headers=admin_headers)
    blank_reason = client.post(f"/api/v1/measures/{MEASURE}/spc/rebase", json={
        "period": "2018-01", "reason": "  ", "meeting": "Board"}, headers=admin_headers)
    short = client.post(f"/api/v1/measures/{MEASURE}/spc/fix-baseline", json={
        "n_points": 6, "reason": "x", "meeting": "Board"}, headers=admin_headers)
    unknown = client.post("/api/v1/measures/no_such/spc/rebase", json={
        "period": "2018-01", "reason": "x", "meeting": "Board"}, headers=admin_headers)

    assert [r.status_code for r in (no_meeting, blank_reason, short, unknown)] == [
        422, 422, 422, 404]


def test_withdrawing_a_rebase_restores_one_segment_and_keeps_the_history(
    client: FlaskClient, admin_headers, catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))
    rebase(client, admin_headers)

    twice, _ = rebase(client, admin_headers)
    withdrawn = client.post(f"/api/v1/measures/{MEASURE}/spc/withdraw-rebase", json={
        "org_code": "RTX", "period": "2018-01", "reason": "triage model reverted",
        "meeting": "Board 2019-03"}, headers=admin_headers)

    assert twice == 409
    assert withdrawn.status_code == 200, withdrawn.get_json()
    member = spc(client, admin_headers, "?org_code=RTX")["members"][0]
    assert len(member["groups"]) == 1
    history = client.get(f"/api/v1/measures/{MEASURE}/spc/decisions?org_code=RTX",
                         headers=admin_headers).get_json()
    assert [d["decision"] for d in history] == ["rebased", "rebase_withdrawn"]


def test_all_members_get_a_chart_and_missing_months_are_absent_points(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    steady = level_series([0.9] * 24)
    gappy = [(period, value) for period, value in zip(HISTORY, steady, strict=True)
             if period not in ("2017-06", "2017-07")]
    submit_history(catalogued, [
        *proportion_rows("RTX", SHIFTED),
        *proportion_rows("RAJ", [v for _, v in gappy], periods=[p for p, _ in gappy]),
    ])

    members = {m["org_code"]: m for m in spc(client, board_headers)["members"]}

    assert sorted(members) == ["RAJ", "RTX"]
    assert len(members["RAJ"]["points"]) == 22
    assert "2017-06" not in [p["period"] for p in members["RAJ"]["points"]]
    assert members["RAJ"]["variation_icon"] == "common_cause"
    assert members["RTX"]["variation_icon"] == "concern_low"


def test_the_charts_hold_exactly_what_their_schema_documents(
    client: FlaskClient, admin_headers, catalogued: Services
) -> None:
    """The endpoint writes its JSON without marshmallow; dumping it through the documented
    schema must change nothing (no undocumented field, no value of another type)."""
    submit_history(catalogued, [*proportion_rows("RTX", SHIFTED),
                                *proportion_rows("RAJ", level_series([0.9] * 24))])
    rebase(client, admin_headers, period="2018-01")

    body = spc(client, admin_headers)

    assert len(body["members"]) == 2 and body["members"][0]["groups"]
    assert SpcChartSchema().dump(body) == body


def test_a_member_rebase_lands_on_the_next_point_when_its_month_is_missing(
    client: FlaskClient, admin_headers, catalogued: Services
) -> None:
    periods = [p for p in HISTORY if p != "2018-01"]
    submit_history(catalogued, proportion_rows("RTX", SHIFTED[:12] + SHIFTED[13:], periods))

    rebase(client, admin_headers, period="2018-01")

    member = spc(client, admin_headers, "?org_code=RTX")["members"][0]
    assert member["rebase_indices"] == [12]
    assert member["groups"][1]["start_period"] == "2018-02"


def test_spc_as_csv_has_one_row_per_point(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))

    response = client.get(f"/api/v1/measures/{MEASURE}/spc?format=csv", headers=board_headers)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 24
    assert list(rows[0])[:4] == ["org_code", "period", "value", "mean"]
    assert rows[-1]["point_type"] == "special_cause_concern"


def test_spc_shows_others_only_what_is_published(
    client: FlaskClient, catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED), sign_off=False)
    own = {"Authorization": f"Bearer {token_for(catalogued, 'rita', 'submitter', 'RTX')}"}
    other = {"Authorization": f"Bearer {token_for(catalogued, 'raj', 'submitter', 'RAJ')}"}

    assert len(spc(client, own)["members"][0]["points"]) == 24
    assert spc(client, other)["members"] == []
    assert spc(client, other, "?org_code=RTX")["members"][0]["points"] == []


def test_a_small_number_is_no_point_for_others_but_its_member_and_admins_see_it(
    client: FlaskClient, board_headers, admin_headers, catalogued: Services
) -> None:
    rows = proportion_rows("RTX", SHIFTED)
    small = HISTORY[5]
    rows = [(o, m, p, v, 9, 12) if p == small else (o, m, p, v, n, d)
            for o, m, p, v, n, d in rows]  # 12 < the threshold of 30
    submit_history(catalogued, rows)
    own = {"Authorization": f"Bearer {token_for(catalogued, 'rita', 'submitter', 'RTX')}"}
    other = {"Authorization": f"Bearer {token_for(catalogued, 'raj', 'submitter', 'RAJ')}"}

    for headers in (board_headers, other):
        points = spc(client, headers)["members"][0]["points"]
        assert [p["period"] for p in points] == [p for p in HISTORY if p != small]
        assert 0.75 not in [p["value"] for p in points]
    for headers in (own, admin_headers):
        points = spc(client, headers)["members"][0]["points"]
        assert [p["period"] for p in points] == HISTORY
        assert points[5]["value"] == 0.75


def _mixed_history(services: Services) -> int:
    """RTX with a small number, RXF signed off, RJ1 unsigned; the position after RXF's."""
    rows = [(o, m, p, v, 9, 12) if p == HISTORY[3] else (o, m, p, v, n, d)
            for o, m, p, v, n, d in proportion_rows("RTX", SHIFTED)]
    head = submit_history(services, rows + proportion_rows("RXF", SHIFTED[::-1]))
    submit_history(services, proportion_rows("RJ1", SHIFTED), sign_off=False)
    return head


def _fast_and_slow(services: Services, head: int, answers: Callable[..., object],
                   monkeypatch: pytest.MonkeyPatch, *switches: str) -> tuple[list, list]:
    """`answers(cur, measure, position)` at three positions by the fast paths, then with the
    switches choosing them (`switches` of spc_series and funnel_data) turned off."""
    with services.warehouse.reading() as cur:
        measure = next(m for m in measures_at(cur, head) if m["measure_code"] == MEASURE)
        positions = (head // 2, head, services.log.head())
        fast = [answers(cur, measure, position) for position in positions]
        for module in (spc_series, funnel_data):
            for switch in switches:
                monkeypatch.setattr(module, switch, lambda viewer: False)
        slow = [answers(cur, measure, position) for position in positions]
    return fast, slow


def test_the_shared_fast_path_charts_what_visible_values_gives_the_shared_viewer(
    catalogued: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = _mixed_history(catalogued)

    def answers(cur: object, measure: dict, position: int) -> tuple[object, ...]:
        moment = moment_of(cur, position)
        period = latest_visible_period(cur, Viewer(), MEASURE, position=position,
                                       moment=moment)
        return (member_charts(cur, Viewer(), measure, position=position, moment=moment),
                period, period and funnel_for_period(
                    cur, Viewer(), measure, parse_period(period), data_type="PR",
                    position=position, moment=moment),
                funnel_plot(cur, Viewer(), measure, None, data_type="PR", position=position,
                            moment=moment))

    fast, slow = _fast_and_slow(catalogued, head, answers, monkeypatch, "is_shared",
                                "reads_spans")

    assert fast == slow
    assert len(fast[1][0][0]["points"]) == len(HISTORY) - 1  # RTX's small number left out


def test_a_members_fast_path_charts_what_visible_values_gives_that_member(
    catalogued: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Member charts read through visible_to_member: its own small number and unsigned months
    are points, another's unsigned months are not, as visible_values gives them."""
    head = _mixed_history(catalogued)
    members = [Viewer(member_code=code) for code in ("RTX", "RJ1", "RXF")]

    def answers(cur: object, measure: dict, position: int) -> list[tuple[object, ...]]:
        moment = moment_of(cur, position)
        return [(member_charts(cur, viewer, measure, position=position, moment=moment),
                 latest_visible_period(cur, viewer, MEASURE, position=position, moment=moment))
                for viewer in members]

    fast, slow = _fast_and_slow(catalogued, head, answers, monkeypatch, "reads_spans")

    assert fast == slow
    rtx, rj1, _ = fast[-1]
    by_member = {chart["org_code"]: chart for chart in rj1[0]}
    assert len(by_member["RJ1"]["points"]) == len(HISTORY)  # its own, unsigned
    assert len(by_member["RTX"]["points"]) == len(HISTORY) - 1  # another's small number
    assert {chart["org_code"] for chart in rtx[0]} == {"RTX", "RXF"}  # RJ1 never signed
    assert len(next(c for c in rtx[0] if c["org_code"] == "RTX")["points"]) == len(HISTORY)


def test_unknown_measure_or_member_is_not_found(client: FlaskClient, board_headers) -> None:
    assert client.get("/api/v1/measures/nope/spc", headers=board_headers).status_code == 404
    assert client.get(f"/api/v1/measures/{MEASURE}/spc?org_code=NOPE",
                      headers=board_headers).status_code == 404


def test_signals_are_listed_for_governance(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, proportion_rows("RTX", SHIFTED))

    signals = client.get(f"/api/v1/signals?measure_code={MEASURE}",
                         headers=board_headers).get_json()

    rules = {(s["period"], s["rule"]) for s in signals}
    assert ("2018-12", "assurance_consistent_fail") in rules
    assert ("2018-12", "special_cause_concern") in rules
    assert all(s["org_code"] == "RTX" and s["latest_period"] == "2018-12" for s in signals)
    other = {"Authorization": f"Bearer {token_for(catalogued, 'raj', 'submitter', 'RAJ')}"}
    assert client.get("/api/v1/signals", headers=other).get_json() == []
