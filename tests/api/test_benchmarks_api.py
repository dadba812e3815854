"""Benchmarks, scorecards and "restated since" through the API, over a small real history.

Five acute trusts of the demo catalogue report three measures for two months through the
returns API; an admin signs every return off and publishes both months (so what others see
does not depend on today's date). RRK's A&E figures rest on 27 attendances, below the
small-number threshold of 30: nobody but RRK and admins may ever see them.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from concord.services import Services
from concord.settings import DEFAULT_CONFIG_DIR
from tests.api.conftest import token_for
from tests.api.test_returns_api import HEADER, PERIOD, post_csv

P1 = PERIOD
P0 = (date.fromisoformat(f"{P1}-01") - timedelta(days=1)).strftime("%Y-%m")
ORGS = ("RXF", "RJ1", "RRK", "RTX", "R1F")  # RXF RJ1 RRK: type1_ed+large; RTX R1F: +medium

# (numerator, denominator) per member: 4-hour performance, admission share, diagnostic waits.
P1_VALUES = {
    "RXF": ((900, 1000), (250, 1000), (5, 1000)),
    "RJ1": ((1600, 2000), (300, 2000), (30, 1000)),
    "RRK": ((19, 27), (8, 27), (50, 1000)),
    "RTX": ((2850, 3000), (600, 3000), (10, 1000)),
    "R1F": ((350, 500), (150, 500), (20, 1000)),
}
P0_VALUES = {org: tuple((n + 10, d + 50) for n, d in trio) for org, trio in P1_VALUES.items()}
MEASURES = ("ae_4hr_performance", "ae_admission_share", "diagnostic_6wk_wait")

# RRK's small numbers, before and after its restatement, as JSON and CSV would print them.
SECRETS = ("0.7037037037037037", "0.7777777777777778", "0.2962962962962963",
           "27.0", "19.0", "21.0", "8.0")
_NUMBER = r"(?<![\d.:]){}(?![\d])"


def rows_csv(period: str, values: dict[str, tuple[tuple[int, int], ...]]) -> str:
    lines = [f"{org},{measure},{period},,{n},{d},"
             for org, trio in values.items() for measure, (n, d) in zip(MEASURES, trio,
                                                                         strict=True)]
    return HEADER + "\n".join(lines) + "\n"


def assert_no_secret(text: str) -> None:
    """None of RRK's small numbers appears anywhere in a response body."""
    for secret in SECRETS:
        assert not re.search(_NUMBER.format(re.escape(secret)), text), secret


@dataclass
class History:
    client: FlaskClient
    services: Services
    admin: dict[str, str]
    board: dict[str, str]
    rrk: dict[str, str]
    rtx: dict[str, str]
    snapshot: int = 0

    def get(self, url: str, headers: dict[str, str] | None = None) -> Any:
        response = self.client.get(url, headers=headers or self.board)
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json() if response.is_json else response.get_data(as_text=True)

    def submit(self, text: str, reason: str | None = None) -> None:
        query = f"?reason={reason}" if reason else ""
        status, body = post_csv(self.client, self.admin, text, query)
        assert status == 200 and body["accepted"], body

    def sign_off(self, org: str, period: str) -> None:
        url = f"/api/v1/returns/{org}/{period}/sign-off"
        response = self.client.post(url, json={}, headers=self.admin)
        assert response.status_code == 200, response.get_json()


def _headers(services: Services, user: str, role: str, member: str | None = None) -> dict:
    return {"Authorization": f"Bearer {token_for(services, user, role, member)}"}


@pytest.fixture
def history(client: FlaskClient, catalogued: Services, admin_headers, board_headers) -> History:
    h = History(client, catalogued, admin_headers, board_headers,
                _headers(catalogued, "rena", "submitter", "RRK"),
                _headers(catalogued, "tom", "submitter", "RTX"))
    for org in ORGS:  # the earlier month may be locked already, depending on today's date
        client.post(f"/api/v1/returns/{org}/{P0}/unlock", json={"reason": "history", "days": 7},
                    headers=admin_headers)
    h.submit(rows_csv(P0, P0_VALUES))
    h.submit(rows_csv(P1, P1_VALUES))
    for org in ORGS:
        h.sign_off(org, P0)
        h.sign_off(org, P1)
    for period in (P0, P1):
        client.post(f"/api/v1/periods/{period}/publish", json={"reason": "board pack"},
                    headers=admin_headers)
    h.snapshot = h.get("/api/v1/measures/ae_4hr_performance/benchmarks")["position"]
    return h


def restate_after_the_meeting(h: History) -> None:
    """After the board's snapshot: RJ1 and RRK restate, RXF's diagnostic waits triple (a
    large change, which warns), everything is signed off again, and the 4-hour target drops
    from 95% to 90% in a new catalogue version."""
    h.submit(HEADER + f"RJ1,ae_4hr_performance,{P1},,1900,2000,\n"
                      f"RRK,ae_4hr_performance,{P1},,21,27,\n"
                      f"RXF,diagnostic_6wk_wait,{P1},,15,1000,\n", reason="late+validation")
    for org in ("RJ1", "RRK", "RXF"):
        h.sign_off(org, P1)
    measures = Path(DEFAULT_CONFIG_DIR, "measures.toml").read_text()
    response = h.client.post("/api/v1/catalogue", headers=h.admin, json={
        "alliance_toml": Path(DEFAULT_CONFIG_DIR, "alliance.toml").read_text(),
        "measures_toml": measures.replace("target = 0.95", "target = 0.9", 1)})
    assert response.get_json()["changed"] is True


def by_org(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["org_code"]: row for row in body["members"]}


def test_ranks_follow_the_direction_of_improvement(history: History) -> None:
    four_hour = history.get("/api/v1/measures/ae_4hr_performance/benchmarks")
    waits = history.get(f"/api/v1/measures/diagnostic_6wk_wait/benchmarks?period={P1}")
    admissions = history.get("/api/v1/measures/ae_admission_share/benchmarks")

    assert four_hour["period"] == P1  # the latest period with a visible value
    assert [m["org_code"] for m in four_hour["members"]] == ["RTX", "RXF", "RJ1", "R1F", "RRK"]
    assert [m["percentile"] for m in four_hour["members"][:4]] == [100.0, 66.7, 33.3, 0.0]
    assert [m["org_code"] for m in waits["members"]] == ["RXF", "RTX", "R1F", "RJ1", "RRK"]
    assert [m["rank"] for m in waits["members"]] == [1, 2, 3, 4, 5]
    assert admissions["measure"]["direction_neutral"] is True
    assert [m["org_code"] for m in admissions["members"][:4]] == ["R1F", "RXF", "RTX", "RJ1"]
    assert four_hour["measure"]["direction_neutral"] is False


def test_pooled_value_is_the_ratio_of_sums_not_the_median(history: History) -> None:
    body = history.get("/api/v1/measures/ae_4hr_performance/benchmarks")
    alliance = body["alliance"]

    assert alliance["n"] == 4 and alliance["small_numbers"] == 1
    assert alliance["pooled"] == pytest.approx(5700 / 6500)
    assert alliance["median"] == pytest.approx(0.85)
    assert (alliance["q1"], alliance["q3"]) == (pytest.approx(0.775), pytest.approx(0.9125))
    assert (alliance["min"], alliance["max"]) == (0.7, 0.95)
    assert body["measure"]["pooled_method"].startswith("ratio of sums")


def test_a_small_number_is_hidden_from_others_and_from_every_statistic(history: History) -> None:
    shared = history.get("/api/v1/measures/ae_4hr_performance/benchmarks", history.rtx)
    own = history.get("/api/v1/measures/ae_4hr_performance/benchmarks", history.rrk)
    admin = history.get("/api/v1/measures/ae_4hr_performance/benchmarks", history.admin)

    hidden = by_org(shared)["RRK"]
    assert (hidden["value"], hidden["numerator"], hidden["denominator"]) == (None, None, None)
    assert hidden["suppressed"] is True and hidden["rank"] is None
    assert "threshold of 30" in hidden["suppression_reason"]
    mine = by_org(own)["RRK"]
    assert (mine["numerator"], mine["denominator"], mine["suppressed"]) == (19, 27, False)
    assert mine["small_number"] is True and mine["rank"] is None
    assert by_org(admin)["RRK"]["value"] == pytest.approx(19 / 27)
    assert own["alliance"] == shared["alliance"] == admin["alliance"]  # stats never include it


def test_a_suppressed_value_never_reaches_another_member_through_any_endpoint(
    history: History,
) -> None:
    restate_after_the_meeting(history)
    since = f"restated-since?position={history.snapshot}"
    urls = [f"/api/v1/measures/{m}/{what}" for m in MEASURES
            for what in ("benchmarks", f"benchmarks?period={P0}", "benchmarks?peer_group=large",
                         f"benchmarks?as_of={history.snapshot}", since)]
    urls += [f"/api/v1/members/{org}/scorecard{q}" for org in ORGS
             for q in ("", f"?as_of={history.snapshot}", "?peer_group=large")]
    urls += ["/api/v1/members/RRK/data-quality"]

    for viewer in (history.rtx, history.board):
        for url in urls:
            for fmt in ("", "&format=csv" if "?" in url else "?format=csv"):
                response = history.client.get(url + fmt, headers=viewer)
                assert response.status_code == 200, url
                assert_no_secret(response.get_data(as_text=True))
    own = history.client.get(f"/api/v1/measures/ae_4hr_performance/{since}", headers=history.rrk)
    assert "0.7777777777777778" in own.get_data(as_text=True)  # RRK still sees its own


def test_a_peer_cell_with_too_few_reporting_members_is_blank_with_the_reason(
    history: History,
) -> None:
    body = history.get("/api/v1/measures/ae_4hr_performance/benchmarks?peer_group=large")
    cells = {c["peer_group_code"]: c for c in body["peer_groups"]}

    assert body["peer"]["peer_group_code"] == "large"
    assert body["peer"]["n"] == 2  # RRK's small number does not count
    assert body["peer"]["blank_reason"] == "fewer than 3 members reported"
    assert body["peer"]["median"] is None and body["peer"]["pooled"] is None
    assert by_org(body)["RXF"]["peer_rank"] is None
    assert cells["type1_ed"]["blank_reason"] is None and cells["type1_ed"]["n"] == 4
    assert cells["type1_ed"]["median"] == pytest.approx(0.85)
    assert cells["urgent_care"]["blank_reason"] == "fewer than 3 members reported"
    type1 = history.get("/api/v1/measures/ae_4hr_performance/benchmarks?peer_group=type1_ed")
    assert by_org(type1)["RTX"]["peer_rank"] == 1


def test_as_of_a_snapshot_reproduces_the_figures_and_the_target_of_the_day(
    history: History,
) -> None:
    urls = ["/api/v1/measures/ae_4hr_performance/benchmarks?peer_group=type1_ed",
            "/api/v1/members/RXF/scorecard", "/api/v1/members/RJ1/scorecard?format=csv"]
    before = [history.get(url) for url in urls]

    restate_after_the_meeting(history)
    then = [history.get(f"{url}{'&' if '?' in url else '?'}as_of={history.snapshot}")
            for url in urls]
    now = history.get("/api/v1/measures/ae_4hr_performance/benchmarks?peer_group=type1_ed")
    scorecard = history.get("/api/v1/members/RXF/scorecard")

    assert then == before
    assert json.dumps(then[0], sort_keys=True) == json.dumps(before[0], sort_keys=True)
    assert now["measure"]["target"] == 0.9 and then[0]["measure"]["target"] == 0.95
    assert by_org(now)["RJ1"]["value"] == 0.95 and by_org(now)["RJ1"]["restatements"] == 1
    four_hour = {m["measure_code"]: m for m in scorecard["measures"]}["ae_4hr_performance"]
    four_hour_then = {m["measure_code"]: m for m in then[1]["measures"]}["ae_4hr_performance"]
    assert (four_hour["target"], four_hour["target_met"]) == (0.9, True)
    assert (four_hour_then["target"], four_hour_then["target_met"]) == (0.95, False)


def test_restated_since_lists_what_moved_after_the_meeting(history: History) -> None:
    restate_after_the_meeting(history)
    url = f"/api/v1/measures/ae_4hr_performance/restated-since?position={history.snapshot}"

    shared = history.get(url)["changes"]
    own = history.get(url, history.rrk)["changes"]

    rj1 = next(c for c in shared if c["org_code"] == "RJ1")
    assert (rj1["change"], rj1["before_value"], rj1["after_value"]) == ("restated", 0.8, 0.95)
    assert rj1["actor"] == "user:ada" and rj1["reason"] == "late validation"
    assert rj1["period"] == P1 and rj1["recorded_at"]
    rrk = next(c for c in shared if c["org_code"] == "RRK")
    assert rrk["suppressed"] is True and rrk["before_value"] is None
    assert rrk["after_value"] is None
    rrk_own = next(c for c in own if c["org_code"] == "RRK")
    assert (rrk_own["before_numerator"], rrk_own["after_numerator"]) == (19, 21)
    assert {c["org_code"] for c in shared} == {"RJ1", "RRK"}


def test_warnings_travel_with_the_value_and_quote_values_only_to_their_member(
    history: History,
) -> None:
    restate_after_the_meeting(history)
    url = "/api/v1/measures/diagnostic_6wk_wait/benchmarks"

    shared = by_org(history.get(url, history.rtx))["RXF"]["warnings"]
    admin = by_org(history.get(url, history.admin))["RXF"]["warnings"]

    assert [w["code"] for w in shared] == ["large_change"] == [w["code"] for w in admin]
    assert "0.015" in admin[0]["message"] and "0.015" not in shared[0]["message"]


def test_scorecard_shows_every_measure_by_domain_with_target_peer_group_and_quality(
    history: History,
) -> None:
    body = history.get(f"/api/v1/members/RXF/scorecard?period={P1}")
    rows = {m["measure_code"]: m for m in body["measures"]}

    assert body["peer_group"] == "type1_ed"  # the member's first peer group
    assert len(body["measures"]) == 18  # every measure that applies to an acute trust
    domains = [m["domain"] for m in body["measures"]]
    assert domains == sorted(domains, key=domains.index)  # grouped
    waits = rows["diagnostic_6wk_wait"]
    assert (waits["value"], waits["target"], waits["target_met"]) == (0.005, 0.01, True)
    assert (waits["rank"], waits["percentile"], waits["peer_rank"]) == (1, 100.0, 1)
    assert rows["ae_admission_share"]["target_met"] is None  # neutral: no target to meet
    assert rows["shmi"]["value"] is None and rows["shmi"]["rank"] is None
    assert rows["ae_4hr_performance"]["alliance_median"] == pytest.approx(0.85)
    assert body["data_quality"]["periods"] == 12
    assert body["data_quality"]["completeness_rate"] == pytest.approx(6 / (18 * 12))


def test_scorecard_in_a_small_peer_group_gives_the_blank_reason(history: History) -> None:
    body = history.get("/api/v1/members/RTX/scorecard?peer_group=medium")
    four_hour = {m["measure_code"]: m for m in body["measures"]}["ae_4hr_performance"]

    assert four_hour["peer_blank_reason"] == "fewer than 3 members reported"
    assert four_hour["peer_median"] is None and four_hour["peer_rank"] is None
    assert four_hour["rank"] == 1


def test_data_quality_lists_expected_received_and_on_time_per_period(history: History) -> None:
    body = history.get("/api/v1/members/RXF/data-quality")
    rows = {r["period"]: r for r in body["rows"]}

    assert body["through"] == P1 and len(body["rows"]) == 12
    assert (rows[P1]["expected"], rows[P1]["received"]) == (18, 3)
    assert rows[P1]["completeness"] == pytest.approx(3 / 18)
    assert rows[P0]["on_time"] is False  # sent after its due date
    assert body["timeliness_rate"] == 0.0


@pytest.mark.parametrize("url", [
    "/api/v1/measures/ae_4hr_performance/benchmarks?peer_group=large",
    "/api/v1/members/RJ1/scorecard",
    "/api/v1/members/RJ1/data-quality",
    "/api/v1/measures/ae_4hr_performance/restated-since?position={snapshot}",
])
def test_csv_has_the_same_rows_as_json(history: History, url: str) -> None:
    restate_after_the_meeting(history)
    url = url.format(snapshot=history.snapshot)
    body = history.get(url)
    rows = next(body[k] for k in ("members", "measures", "rows", "changes") if k in body)
    text = history.get(url + "&format=csv" if "?" in url else url + "?format=csv")

    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == len(rows) > 0
    for json_row, csv_row in zip(rows, parsed, strict=True):
        assert set(csv_row) == set(json_row)
        for column, value in json_row.items():
            if not isinstance(value, list):
                assert csv_row[column] == _as_csv(value), column


def _as_csv(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.parametrize(("url", "status"), [
    ("/api/v1/measures/no_such_measure/benchmarks", 404),
    ("/api/v1/measures/ae_4hr_performance/benchmarks?period=2024-13", 422),
    ("/api/v1/measures/ae_4hr_performance/benchmarks?peer_group=nope", 422),
    ("/api/v1/measures/ae_4hr_performance/benchmarks?format=xml", 422),
    ("/api/v1/measures/ae_4hr_performance/benchmarks?as_of=yesterday", 422),
    ("/api/v1/members/NOPE/scorecard", 404),
    ("/api/v1/members/NOPE/data-quality", 404),
    ("/api/v1/measures/ae_4hr_performance/restated-since", 422),
])
def test_bad_requests_get_problem_documents(client: FlaskClient, board_headers, url: str,
                                            status: int) -> None:
    response = client.get(url, headers=board_headers)
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
