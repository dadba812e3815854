"""Funnel plots through the API: members compared with limits that widen as size shrinks."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient

from concord.services import Services
from tests.api.test_spc_api import Row, submit_history

PERIOD = "2018-06"
ACUTE = ("R0A", "R1F", "R1H", "R1K", "RA2", "RA3", "RA4", "RA7", "RA9", "RAE", "RAJ", "RAL")
WOBBLE = (0.004, -0.006, 0.002, -0.003, 0.005, -0.001, 0.003, -0.004, 0.001, -0.002, 0.006,
          -0.005)


def four_hour_rows(extreme: str = "RAP", small: str | None = "RAS") -> list[Row]:
    """Twelve members near 85% within four hours, one far below, one too small to compare."""
    rows: list[Row] = []
    for i, org in enumerate(ACUTE):
        attendances = 1000 + 150 * i
        seen = round((0.85 + WOBBLE[i]) * attendances)
        rows.append((org, "ae_4hr_performance", PERIOD, None, seen, attendances))
    rows.append((extreme, "ae_4hr_performance", PERIOD, None, 1100, 2000))
    if small:
        rows.append((small, "ae_4hr_performance", PERIOD, None, 10, 20))
    return rows


def funnel(client: FlaskClient, headers: dict[str, str], measure: str = "ae_4hr_performance",
           query: str = "") -> tuple[int, dict]:
    response = client.get(f"/api/v1/measures/{measure}/funnel{query}", headers=headers)
    return response.status_code, response.get_json()


def test_an_extreme_member_is_outside_the_99_8_limits_and_labelled_worse(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, four_hour_rows())

    status, plot = funnel(client, board_headers, query=f"?period={PERIOD}")

    assert status == 200, plot
    assert (plot["period"], plot["data_type"], plot["improvement"]) == (PERIOD, "PR", "increase")
    units = {u["org_code"]: u for u in plot["units"]}
    assert sorted(units) == sorted([*ACUTE, "RAP"])
    assert units["RAP"]["outside998"] and units["RAP"]["ratio"] == 0.55
    assert units["RAP"]["ratio"] < units["RAP"]["lcl998"]
    assert units["RAP"]["classification"] == "worse"
    assert [u for u in units.values() if u["classification"] != "inside"] == [units["RAP"]]
    pooled = sum(u["numerator"] for u in units.values()) / sum(
        u["denominator"] for u in units.values())
    assert abs(plot["target"] - pooled) < 1e-12
    assert plot["phi"] > 0 and plot["tau2"] >= 0
    assert len(plot["curve"]["denominators"]) == len(plot["curve"]["ucl998"]) > 10


def test_a_member_below_the_small_number_threshold_is_left_out_and_listed(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, four_hour_rows())

    _, plot = funnel(client, board_headers)

    assert plot["period"] == PERIOD  # the latest month with values, when none is asked for
    assert "RAS" not in {u["org_code"] for u in plot["units"]}
    assert plot["suppressed"] == [{
        "org_code": "RAS",
        "reason": "denominator below the small-number threshold of 30"}]


def test_a_ratio_measure_gets_an_observed_over_expected_funnel(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    rows: list[Row] = [(org, "shmi", PERIOD, None, round(100 * (1 + WOBBLE[i]) * (1 + i / 10)),
                        100 * (1 + i / 10)) for i, org in enumerate(ACUTE)]
    rows.append(("RAP", "shmi", PERIOD, None, 320, 200))
    submit_history(catalogued, rows)

    status, plot = funnel(client, board_headers, "shmi")

    assert status == 200, plot
    assert (plot["data_type"], plot["target"]) == ("SR", 1.0)
    labels = {u["org_code"]: u["classification"] for u in plot["units"]}
    assert labels["RAP"] == "worse"  # lower is better for SHMI, and RAP is far above


def test_measures_that_are_not_proportions_or_ratios_have_no_funnel(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    status, problem = funnel(client, board_headers, "ae_attendances")
    mismatch, _ = funnel(client, board_headers, query="?data_type=SR")

    assert status == 422
    assert "count measure" in problem["detail"] and "proportions (PR)" in problem["detail"]
    assert mismatch == 422


def test_others_see_only_published_values_in_the_funnel(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, four_hour_rows())
    submit_history(catalogued, [("RAX", "ae_4hr_performance", PERIOD, None, 900, 1000)],
                   sign_off=False)

    _, plot = funnel(client, board_headers, query=f"?period={PERIOD}")

    assert "RAX" not in {u["org_code"] for u in plot["units"]}


def test_funnel_as_csv_has_one_row_per_unit(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, four_hour_rows())

    response = client.get(f"/api/v1/measures/ae_4hr_performance/funnel?period={PERIOD}"
                          "&format=csv", headers=board_headers)

    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 13
    assert {r["org_code"]: r["classification"] for r in rows}["RAP"] == "worse"


def test_a_month_with_nothing_visible_has_an_empty_funnel(
    client: FlaskClient, board_headers
) -> None:
    status, plot = funnel(client, board_headers, query="?period=2018-01")

    assert status == 200
    assert plot["units"] == [] and plot["suppressed"] == [] and plot["target"] is None


@pytest.mark.parametrize("later_months", [2, 5])
def test_without_a_period_the_funnel_shows_the_latest_month_that_holds_the_measure(
    client: FlaskClient, board_headers, catalogued: Services, later_months: int
) -> None:
    """Later months hold other measures only: within the months tried first, or beyond them."""
    submit_history(catalogued, four_hour_rows())
    later = [f"2018-{month:02d}" for month in range(7, 7 + later_months)]
    submit_history(catalogued, [(org, "ae_attendances", period, 5000.0, None, None)
                                for period in later for org in ACUTE])

    status, plot = funnel(client, board_headers)

    assert status == 200, plot
    assert plot["period"] == PERIOD
    assert {u["org_code"] for u in plot["units"]} == {*ACUTE, "RAP"}


def test_without_a_period_the_funnel_skips_a_later_month_nobody_may_see_yet(
    client: FlaskClient, board_headers, catalogued: Services
) -> None:
    submit_history(catalogued, four_hour_rows())
    submit_history(catalogued, [("RAX", "ae_4hr_performance", "2018-07", None, 900, 1000)],
                   sign_off=False)

    status, plot = funnel(client, board_headers)

    assert status == 200, plot
    assert plot["period"] == PERIOD and "RAX" not in {u["org_code"] for u in plot["units"]}
