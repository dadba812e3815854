"""The board overview through the API, and the fast shared-values path it reads.

Histories are recorded through the real submission path with a simulated clock (an admin
loader submits each month just after it ended, and the return is signed off), so the overview
reads exactly what members' uploads would have produced.
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from concord.services import Services
from tests.api.conftest import token_for
from tests.support.returns import Row, sign_off, submit
from tests.support.tangled import attendances as _attendances
from tests.support.tangled import judgements
from tests.support.tangled import tangled_history as _tangled_history
from tests.support.tangled import when as _when
from warehouse.analytics.spc import xmr
from warehouse.queries.overview import COLUMNS

FOUR_HOUR = "ae_4hr_performance"  # proportion, higher is better, target 0.95, threshold 30
DIAGNOSTIC = "diagnostic_6wk_wait"  # proportion, lower is better, acute trusts only
ADMISSIONS = "ae_admission_share"  # proportion, neutral
HISTORY = [f"{2023 + (m // 12)}-{m % 12 + 1:02d}" for m in range(15)]  # 2023-01 .. 2024-03
LATEST = HISTORY[-1]
WOBBLE = (0.006, -0.004, 0.002, -0.005, 0.004, -0.002, 0.005, -0.003)
FOUR_HOUR_LEVELS = {
    "RTX": [0.80] * 8 + [0.81, 0.83, 0.85, 0.87, 0.89, 0.91, 0.95],  # rises for seven months
    "RXF": [0.90] * 15,
    "RJ1": [0.70] * 8 + [0.78] * 7,  # a step up after eight months
    "RRK": [0.85] * 15,  # its latest month has a denominator below the threshold
}


def _four_hour(org: str, month: int) -> float:
    level = FOUR_HOUR_LEVELS[org][month]
    return level if org == "RTX" and month >= 8 else round(level + WOBBLE[month % 8], 3)


def record_history(services: Services) -> int:
    """Fifteen months of the four-hour measure for four trusts, one upload per month, plus the
    latest month of a lower-is-better and a neutral measure. Returns the last position."""
    for month, period in enumerate(HISTORY):
        rows: list[Row] = []
        for org in FOUR_HOUR_LEVELS:
            denominator = 10 if (org, period) == ("RRK", LATEST) else 1000
            rows.append((org, FOUR_HOUR, period, None,
                         round(_four_hour(org, month) * denominator), denominator))
        if period == LATEST:
            rows += [(org, DIAGNOSTIC, period, None, waits, 1000)
                     for org, waits in (("RTX", 50), ("RXF", 10), ("RJ1", 30))]
            rows += [(org, ADMISSIONS, period, None, admitted, 1000)
                     for org, admitted in (("RTX", 300), ("RXF", 200), ("RJ1", 250))]
        submit(services, rows, at=_when(period))
    return services.log.head()


def overview(client: FlaskClient, headers: dict[str, str], query: str = "") -> dict:
    response = client.get(f"/api/v1/overview{query}", headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def measure_rows(body: dict, measure_code: str) -> dict[str, dict]:
    return {row["org_code"]: row for row in body["rows"] if row["measure_code"] == measure_code}


def series(org: str) -> list[float]:
    """The four-hour values the SPC chart of ``org`` holds (numerator / denominator)."""
    return [round(_four_hour(org, m) * 1000) / 1000 for m in range(len(HISTORY))]


def test_each_measure_is_ranked_by_its_own_direction(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    record_history(catalogued)

    body = overview(client, board_headers)

    four_hour = measure_rows(body, FOUR_HOUR)
    assert {org: four_hour[org]["rank"] for org in ("RTX", "RXF", "RJ1")} == {
        "RTX": 1, "RXF": 2, "RJ1": 3}
    assert four_hour["RTX"]["period"] == LATEST
    assert four_hour["RTX"]["rank_order"] == "highest is best"
    diagnostic = measure_rows(body, DIAGNOSTIC)
    assert {org: diagnostic[org]["rank"] for org in ("RTX", "RXF", "RJ1")} == {
        "RXF": 1, "RJ1": 2, "RTX": 3}
    admissions = measure_rows(body, ADMISSIONS)
    assert {org: admissions[org]["rank"] for org in ("RTX", "RXF", "RJ1")} == {
        "RTX": 1, "RJ1": 2, "RXF": 3}
    assert admissions["RTX"]["neutral"] is True
    assert admissions["RTX"]["rank_order"] == "neutral: highest first"
    silent = four_hour["RAJ"]  # a member who reported nothing is listed, unranked
    assert (silent["value"], silent["rank"], silent["variation_icon"]) == (None, None, None)
    codes = [row["measure_code"] for row in body["rows"]]
    assert codes.index(FOUR_HOUR) < codes.index(DIAGNOSTIC)  # catalogue order
    assert [row["org_code"] for row in body["rows"][:3]] == ["RTX", "RXF", "RJ1"]


def test_a_small_denominator_is_suppressed_unranked_and_left_out_of_benchmarks(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    record_history(catalogued)

    rows = measure_rows(overview(client, board_headers), FOUR_HOUR)

    small = rows["RRK"]
    assert small["suppressed"] is True
    assert (small["value"], small["numerator"], small["denominator"]) == (None, None, None)
    assert (small["rank"], small["variation_icon"], small["assurance"]) == (None, None, None)
    shown = [rows[org] for org in ("RTX", "RXF", "RJ1")]
    assert {row["members_reported"] for row in rows.values()} == {3}
    assert rows["RTX"]["pooled"] == pytest.approx(
        sum(r["numerator"] for r in shown) / sum(r["denominator"] for r in shown))
    assert rows["RTX"]["median"] == sorted(r["value"] for r in shown)[1]
    assert rows["RTX"]["max"] == max(r["value"] for r in shown)


def test_a_small_count_is_suppressed_by_the_same_rule_as_the_benchmarks(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    """ae_attendances is a count with a threshold of 30 (the denominator of the four-hour
    measure): a count below it is a small number in the overview as in shared_values."""
    submit(catalogued, [_attendances("RTX", LATEST, 12), _attendances("RXF", LATEST, 400),
                        _attendances("RJ1", LATEST, 300)], at=_when(LATEST))

    rows = measure_rows(overview(client, board_headers), "ae_attendances")
    answer = client.get("/api/v1/measures/ae_attendances/benchmarks",
                        headers=board_headers).get_json()

    small = rows["RTX"]
    assert (small["suppressed"], small["value"], small["rank"]) == (True, None, None)
    assert (small["variation_icon"], small["spc_points"]) == (None, None)
    assert rows["RXF"]["members_reported"] == answer["alliance"]["n"] == 2
    assert {m["org_code"]: m["suppressed"] for m in answer["members"]} == {
        org: row["suppressed"] for org, row in rows.items() if row["period"] == LATEST
        and (row["value"] is not None or row["suppressed"])}


def test_benchmarks_and_ranks_agree_with_the_benchmarks_endpoint(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    record_history(catalogued)

    rows = measure_rows(overview(client, board_headers), FOUR_HOUR)
    answer = client.get(f"/api/v1/measures/{FOUR_HOUR}/benchmarks",
                        headers=board_headers).get_json()

    alliance = answer["alliance"]
    assert answer["period"] == LATEST
    assert {name: rows["RTX"][name] for name in ("pooled", "median", "q1", "q3", "min", "max")
            } == {name: alliance[name] for name in ("pooled", "median", "q1", "q3", "min", "max")}
    assert rows["RTX"]["members_reported"] == alliance["n"]
    assert {m["org_code"]: m["rank"] for m in answer["members"]} == {
        org: row["rank"] for org, row in rows.items() if row["value"] is not None or
        row["suppressed"]}


def test_icons_are_those_of_each_members_spc_chart(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    record_history(catalogued)

    rows = measure_rows(overview(client, board_headers), FOUR_HOUR)

    for org in ("RTX", "RXF", "RJ1"):
        chart = xmr(series(org), improvement="increase", target=0.95)
        assert rows[org]["variation_icon"] == chart.variation_icon, org
        assert rows[org]["assurance"] == chart.assurance_type, org
        assert rows[org]["spc_points"] == len(HISTORY)
    assert rows["RTX"]["variation_icon"] == "improvement_high"
    assert rows["RJ1"]["variation_icon"] == "improvement_high"
    chart = client.get(f"/api/v1/measures/{FOUR_HOUR}/spc?org_code=RXF",
                       headers=board_headers).get_json()["members"][0]
    assert (rows["RXF"]["variation_icon"], rows["RXF"]["assurance"]) == (
        chart["variation_icon"], chart["assurance_type"])
    single = measure_rows(overview(client, board_headers), DIAGNOSTIC)["RTX"]
    assert (single["variation_icon"], single["spc_points"]) == ("common_cause", 1)


def test_a_rebase_decided_by_the_board_redraws_the_icon(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    record_history(catalogued)
    executive = {"Authorization": f"Bearer {token_for(catalogued, 'eve', 'executive')}"}

    decided = client.post(f"/api/v1/measures/{FOUR_HOUR}/spc/rebase", headers=executive, json={
        "org_code": "RJ1", "period": HISTORY[8], "reason": "new streaming model",
        "meeting": "Board 2024-04-09, item 3"})

    assert decided.status_code == 200, decided.get_json()
    rj1 = measure_rows(overview(client, board_headers), FOUR_HOUR)["RJ1"]
    assert rj1["variation_icon"] == xmr(series("RJ1"), rebase=[8]).variation_icon
    assert rj1["variation_icon"] == "common_cause"


def test_as_of_a_position_reproduces_an_earlier_overview(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    record_history(catalogued)
    before = overview(client, board_headers)
    submit(catalogued, [("RTX", FOUR_HOUR, LATEST, None, 700, 1000)], at=_when(LATEST, 12),
           reason="late validation")

    now = overview(client, board_headers)
    then = overview(client, board_headers, f"?as_of={before['position']}")

    assert now["position"] > before["position"]
    assert measure_rows(now, FOUR_HOUR)["RTX"]["value"] == 0.7
    assert then["position"] == before["position"]
    assert then["rows"] == before["rows"]
    moment = _when(LATEST, 11).strftime("%Y-%m-%dT%H:%M")  # naive: UTC
    assert overview(client, board_headers, f"?as_of={moment}")["rows"] == before["rows"]


def test_board_members_opening_the_overview_at_once_each_get_the_same_rows(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    """Each overview runs its small queries on a second cursor and a shared pool: requests
    served at the same moment, at the head and as of an earlier position, must not mix."""
    first = record_history(catalogued)
    submit(catalogued, [("RTX", FOUR_HOUR, LATEST, None, 700, 1000)], at=_when(LATEST, 12),
           reason="late validation")
    now, then = overview(client, board_headers), overview(client, board_headers,
                                                            f"?as_of={first}")
    app = client.application

    def fetch(query: str) -> dict:
        with app.test_client() as own:
            return overview(own, board_headers, query)

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(fetch, ["", f"?as_of={first}"] * 6))

    assert now["rows"] != then["rows"]
    assert [a["rows"] for a in answers] == [now["rows"], then["rows"]] * 6


def test_the_csv_holds_the_json_rows(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    record_history(catalogued)
    body = overview(client, board_headers)

    response = client.get("/api/v1/overview?format=csv", headers=board_headers)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(table[0]) == list(COLUMNS)
    assert len(table) == len(body["rows"])
    first, json_first = table[0], body["rows"][0]
    assert (first["org_code"], float(first["value"]), first["suppressed"]) == (
        json_first["org_code"], json_first["value"], "false")
    assert next(r for r in table if r["org_code"] == "RRK" and r["measure_code"] == FOUR_HOUR
                )["value"] == ""


def test_an_empty_warehouse_lists_every_measure_and_member_without_values(
    client: FlaskClient, board_headers
) -> None:
    body = overview(client, board_headers)

    assert body["rows"]
    assert {row["value"] for row in body["rows"]} == {None}
    assert {row["period"] for row in body["rows"]} == {None}


def test_an_unknown_format_or_as_of_is_refused(client: FlaskClient, board_headers) -> None:
    assert client.get("/api/v1/overview?format=xml", headers=board_headers).status_code == 422
    assert client.get("/api/v1/overview?as_of=yesterday", headers=board_headers
                      ).status_code == 422


# --- the fast path: visible_to_all (definitions/50_visibility.sql)
# = visible_values(pos, moment, NULL, false)

SHARED_COLUMNS = "org_code, measure_code, period, value, numerator, denominator, position"


def _shared(services: Services, macro: str, position: int, moment: datetime,
            measure: str | None = None) -> set[tuple]:
    """The rows of one macro, of every measure or of ``measure`` only."""
    if macro == "visible_to_all":
        sql = f"SELECT {SHARED_COLUMNS} FROM visible_to_all(?, ?, ?)"
        params: list[object] = [position, moment, measure]
    else:
        sql = (f"SELECT {SHARED_COLUMNS} FROM visible_values(?, ?, NULL, false)"
               " WHERE ? IS NULL OR measure_code = ?")
        params = [position, moment, measure, measure]
    with services.warehouse.reading() as cur:
        return set(cur.execute(sql, params).fetchall())


def test_the_fast_path_shows_exactly_what_visible_values_shows_at_every_position(
    catalogued: Services
) -> None:
    _tangled_history(catalogued)
    head = catalogued.log.head()
    now = datetime.now(UTC)

    for position, judged_at in judgements(catalogued):
        for measure in (None, FOUR_HOUR, "ae_attendances"):
            expected = _shared(catalogued, "visible_values", position, judged_at, measure)
            got = _shared(catalogued, "visible_to_all", position, judged_at, measure)
            assert got == expected, (position, judged_at, measure)

    final = {(r[0], r[1], str(r[2])[:7]): r[3]
             for r in _shared(catalogued, "visible_to_all", head, now)}
    assert final[("RTX", "ae_attendances", "2024-01")] == 101  # 102 awaits its sign-off
    assert final[("RTX", FOUR_HOUR, "2024-01")] == 0.9
    assert ("RXF", "ae_attendances", "2024-01") not in final  # retracted after sign-off
    assert ("RXF", "ae_attendances", "2024-02") not in final  # never signed off
    assert (("RTX", FOUR_HOUR, "2024-03")) not in final  # retracted, resubmitted unsigned
    assert final[("RTX", "ae_attendances", "2024-02")] == 111


def test_one_month_read_from_its_returns_is_exactly_what_visible_values_shows(
    catalogued: Services
) -> None:
    """visible_to_all_in_month (the funnel's read) at every position, judged when each event
    was recorded and today, for each measure and month of the tangled history."""
    _tangled_history(catalogued)
    head = catalogued.log.head()
    now = datetime.now(UTC)
    sql = (f"SELECT {SHARED_COLUMNS} FROM visible_to_all_in_month(?, ?, ?, CAST(? AS DATE))")

    with catalogued.warehouse.reading() as cur:
        recorded = dict(cur.execute("SELECT position, recorded_at FROM event_index").fetchall())
    checked = 0
    for position in range(1, head + 1):
        for judged_at in (recorded[position], now):
            every = _shared(catalogued, "visible_values", position, judged_at)
            for measure in ("ae_attendances", FOUR_HOUR):
                for month in ("2024-01", "2024-02", "2024-03"):
                    expected = {r for r in every if r[1] == measure and str(r[2])[:7] == month}
                    with catalogued.warehouse.reading() as cur:
                        got = set(cur.execute(sql, [position, judged_at, measure,
                                                    f"{month}-01"]).fetchall())
                    assert got == expected, (position, judged_at, measure, month)
                    checked += len(expected)
    assert checked > 50  # the history shows values, not only empty months


def test_the_fast_path_holds_back_an_unsigned_restatement_until_it_is_signed(
    catalogued: Services
) -> None:
    period = "2024-01"
    submit(catalogued, [_attendances("RTX", period, 100)], at=_when(period))
    submit(catalogued, [_attendances("RTX", period, 150)], at=_when(period, 10),
           signed_off=False, reason="late count")
    pending = catalogued.log.head()
    sign_off(catalogued, "RTX", period, at=_when(period, 11))
    now = datetime.now(UTC)

    values = [{r[1]: r[3] for r in _shared(catalogued, "visible_to_all", pos, now)}
              for pos in (pending, catalogued.log.head())]

    assert values == [{"ae_attendances": 100}, {"ae_attendances": 150}]


def test_an_overview_needs_a_token(client: FlaskClient) -> None:
    assert client.get("/api/v1/overview").status_code == 401
