"""Monthly returns through the API, as a member hospital and the alliance office use them."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from concord.services import Services
from tests.api.conftest import token_for


def _last_month(today: date) -> str:
    """Past its due date (the 20th) for most of the month, and not yet locked."""
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


PERIOD = _last_month(datetime.now(UTC).date())
HEADER = "org_code,measure_code,period,value,numerator,denominator,comment\n"


def csv_for(org: str, period: str = PERIOD, *, attendances: int = 1000, breaches: int = 100,
            admissions: int = 250) -> str:
    return HEADER + (
        f"{org},ae_4hr_performance,{period},,{attendances - breaches},{attendances},\n"
        f"{org},ae_admission_share,{period},,{admissions},{attendances},\n"
        f"{org},ae_attendances,{period},{attendances},,,\n"
    )


def post_csv(client: FlaskClient, headers: dict[str, str], text: str, query: str = "",
             **extra_headers: str) -> tuple[int, dict]:
    data = {"file": (io.BytesIO(text.encode()), "return.csv")}
    response = client.post(f"/api/v1/returns{query}", data=data, headers={**headers,
                           **extra_headers}, content_type="multipart/form-data")
    return response.status_code, response.get_json()


def current_rows(services: Services) -> list[tuple]:
    with services.warehouse.reading() as cur:
        return cur.execute("SELECT org_code, measure_code, period, value, position "
                           "FROM current_values ORDER BY ALL").fetchall()


def test_submitting_a_csv_gives_a_receipt_and_the_values_are_held(
    client: FlaskClient, rtx: dict[str, str], catalogued: Services
) -> None:
    status, receipt = post_csv(client, rtx, csv_for("RTX"))

    assert status == 200, receipt
    assert receipt["accepted"] is True
    assert receipt["counts"] == {"rows": 3, "new": 3, "changed": 0, "unchanged": 0}
    assert receipt["position"] > 0
    [ret] = receipt["returns"]
    assert (ret["org_code"], ret["period"], ret["new"]) == ("RTX", PERIOD, 3)
    values = {r[1]: r[3] for r in current_rows(catalogued)}
    assert values == {"ae_4hr_performance": 0.9, "ae_admission_share": 0.25,
                      "ae_attendances": 1000.0}


def test_identical_resubmission_is_a_no_op_that_says_so(client, rtx, catalogued) -> None:
    post_csv(client, rtx, csv_for("RTX"))
    head = catalogued.log.head()

    status, receipt = post_csv(client, rtx, csv_for("RTX"))

    assert status == 200
    assert receipt["message"].startswith("no change")
    assert receipt["counts"]["unchanged"] == 3
    assert catalogued.log.head() == head


def test_restatement_needs_a_reason_and_keeps_the_history(client, rtx, catalogued) -> None:
    post_csv(client, rtx, csv_for("RTX"))
    before = current_rows(catalogued)
    corrected = csv_for("RTX", breaches=50)

    refused, problem = post_csv(client, rtx, corrected)
    status, receipt = post_csv(client, rtx, corrected, "?reason=coding+correction")

    assert refused == 422
    assert problem["issues"][0]["code"] == "reason_required"
    assert status == 200, receipt
    assert receipt["counts"]["changed"] == 1
    after = current_rows(catalogued)
    assert len(set(after) - set(before)) == 1  # exactly one row of current_values changed
    history = client.get(f"/api/v1/values/RTX/ae_4hr_performance/{PERIOD}/history",
                         headers=rtx).get_json()
    assert [h["value"] for h in history] == [0.9, 0.95]
    assert history[1]["reason"] == "coding correction"
    assert history[1]["actor"] == "user:rita"


def test_dry_run_shows_the_diff_and_writes_nothing(client, rtx, catalogued) -> None:
    post_csv(client, rtx, csv_for("RTX"))
    head = catalogued.log.head()

    status, report = post_csv(client, rtx, csv_for("RTX", attendances=2000), "?dry_run=true")

    assert status == 200
    assert report["dry_run"] is True and report["accepted"] is False
    assert catalogued.log.head() == head
    changes = {d["measure_code"]: (d["previous_value"], d["value"]) for d in report["diff"]}
    assert changes["ae_attendances"] == (1000.0, 2000.0)
    assert report["needs_reason"] is True


def test_idempotency_key_makes_a_retry_safe(client, rtx, catalogued) -> None:
    first = post_csv(client, rtx, csv_for("RTX"), **{"Idempotency-Key": "abc-1"})[1]
    head = catalogued.log.head()
    second = post_csv(client, rtx, csv_for("RTX"), **{"Idempotency-Key": "abc-1"})[1]

    assert second["replayed"] is True
    assert second["submission_id"] == first["submission_id"]
    assert second["position"] == first["position"]
    assert catalogued.log.head() == head


def test_submitter_cannot_send_another_members_values(client, rtx, catalogued) -> None:
    status, problem = post_csv(client, rtx, csv_for("RXX"))
    assert status == 422
    assert problem["issues"][0]["code"] == "wrong_member"
    assert current_rows(catalogued) == []


def test_board_cannot_submit(client, board_headers) -> None:
    status, _ = post_csv(client, board_headers, csv_for("RTX"))
    assert status == 403


def test_bad_rows_are_all_reported_with_row_column_and_code(client, rtx, catalogued) -> None:
    text = HEADER + (
        f"RTX,ae_4hr_performance,{PERIOD},,1200,1000,\n"
        f"RTX,no_such_measure,{PERIOD},1,,,\n"
        f"RTX,ae_attendances,2019/01,5,,,\n"
    )
    status, problem = post_csv(client, rtx, text)

    assert status == 422
    found = {(i["row"], i["column"], i["code"]) for i in problem["issues"]}
    assert (2, "numerator", "numerator_exceeds_denominator") in found
    assert (3, "measure_code", "unknown_measure") in found
    assert (4, "period", "bad_period") in found
    assert current_rows(catalogued) == []


def test_json_rows_are_accepted_like_a_file(client, rtx) -> None:
    rows = [{"measure_code": "ae_attendances", "period": PERIOD, "value": 1234}]
    response = client.post("/api/v1/returns", json={"rows": rows}, headers=rtx)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["returns"][0]["org_code"] == "RTX"


def test_oversized_upload_gets_413_and_the_server_stays_up(client, rtx, app) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 1000
    status, _ = post_csv(client, rtx, csv_for("RTX") + "x" * 2000)
    app.config["MAX_CONTENT_LENGTH"] = None
    assert status == 413
    assert client.get("/healthz").status_code == 200


def test_sign_off_then_restatement_needs_a_fresh_sign_off(catalogued, client) -> None:
    approver = {"Authorization": "Bearer " + token_for(catalogued, "sam", "submitter", "RTX")}
    from ingest.identity.commands import change_role
    from ingest.log.actor import Actor
    change_role(catalogued.log, Actor.operator("t"), "sam", role="submitter",
                member_code="RTX", can_sign_off=True)
    post_csv(client, approver, csv_for("RTX"))

    signed = client.post(f"/api/v1/returns/RTX/{PERIOD}/sign-off", json={}, headers=approver)
    post_csv(client, approver, csv_for("RTX", breaches=10), "?reason=late+data")
    listed = client.get(f"/api/v1/returns?period={PERIOD}", headers=approver).get_json()

    assert signed.status_code == 200, signed.get_json()
    [ret] = listed
    assert ret["needs_sign_off"] is True
    assert ret["restated_after_sign_off"] == 1


def test_retraction_keeps_the_value_in_history(client, rtx, catalogued) -> None:
    post_csv(client, rtx, csv_for("RTX"))
    response = client.post(f"/api/v1/returns/RTX/{PERIOD}/retract", headers=rtx,
                           json={"measure_codes": ["ae_attendances"], "reason": "duplicate"})
    assert response.status_code == 200, response.get_json()
    history = client.get(f"/api/v1/values/RTX/ae_attendances/{PERIOD}/history",
                         headers=rtx).get_json()
    assert [h["status"] for h in history] == ["submitted", "retracted"]


def test_submission_tracking_shows_due_late_and_missing(client, rtx, catalogued,
                                                        board_headers) -> None:
    post_csv(client, rtx, csv_for("RTX"))
    rows = client.get(f"/api/v1/submissions?period={PERIOD}", headers=board_headers).get_json()
    by_org = {r["org_code"]: r for r in rows}
    rtx = by_org["RTX"]
    assert rtx["expected"] == 18 and rtx["received"] == 3
    assert rtx["status"] == "partial"
    assert rtx["completeness"] == pytest.approx(3 / 18)
    others = [r for r in rows if r["org_code"] != "RTX"]
    assert {r["status"] for r in others} <= {"missing", "not_due"}
    assert all(r["received"] == 0 and r["first_received_at"] is None for r in others)
    urgent_care = next(r for r in rows if r["expected"] == 3 and r["org_code"] != "RTX")
    assert urgent_care["received"] == 0


def test_template_lists_the_expected_measures(client, rtx) -> None:
    response = client.get(f"/api/v1/templates/RTX/{PERIOD}.csv", headers=rtx)
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    assert "ae_4hr_performance" in text and "shmi" in text


def test_verify_passes_after_a_restatement(client, rtx, catalogued, tmp_path) -> None:
    from concord.services import projections
    from warehouse.checksums import differing_tables, table_checksums
    from warehouse.db import Warehouse
    from warehouse.rebuild import rebuild_into

    post_csv(client, rtx, csv_for("RTX"))
    post_csv(client, rtx, csv_for("RTX", breaches=5), "?reason=fix")
    live = table_checksums(catalogued.warehouse)
    rebuild_into(catalogued.log, tmp_path / "r.duckdb", projections())
    scratch = Warehouse(tmp_path / "r.duckdb")
    try:
        assert differing_tables(live, table_checksums(scratch)) == []
    finally:
        scratch.close()


def test_admin_unlock_lets_a_member_send_a_locked_month(client, rtx, admin_headers) -> None:
    old = "2017-01"
    refused, problem = post_csv(client, rtx, csv_for("RTX", old))
    no_reason = client.post(f"/api/v1/returns/RTX/{old}/unlock", json={"reason": ""},
                            headers=admin_headers)
    by_member = client.post(f"/api/v1/returns/RTX/{old}/unlock", json={"reason": "audit"},
                            headers=rtx)
    unlocked = client.post(f"/api/v1/returns/RTX/{old}/unlock",
                           json={"reason": "audit found missing data", "days": 3},
                           headers=admin_headers)
    accepted, receipt = post_csv(client, rtx, csv_for("RTX", old))

    assert refused == 422 and problem["issues"][0]["code"] == "locked_period"
    assert no_reason.status_code == 422
    assert by_member.status_code == 403
    assert unlocked.status_code == 200, unlocked.get_json()
    assert accepted == 200, receipt
    [ret] = client.get(f"/api/v1/returns?period={old}", headers=admin_headers).get_json()
    assert ret["unlocked_until"] is not None


def test_warnings_are_accepted_and_stay_visible_with_the_value(client, rtx) -> None:
    post_csv(client, rtx, csv_for("RTX"))
    status, receipt = post_csv(client, rtx, csv_for("RTX", attendances=5000), "?reason=recount")

    assert status == 200
    assert any(w["code"] == "large_change" for w in receipt["warnings"])
    [ret] = receipt["returns"]
    detail = client.get(f"/api/v1/returns/{ret['return_id']}", headers=rtx).get_json()
    attendances = next(v for v in detail["values"] if v["measure_code"] == "ae_attendances")
    assert any(w.startswith("large_change") for w in attendances["warnings"])
    assert attendances["versions"] == 2
    assert [e["event_type"] for e in detail["events"]] == ["submitted", "restated"]


def test_xlsx_template_round_trips_through_the_upload(client, rtx) -> None:
    template = client.get(f"/api/v1/templates/RTX/{PERIOD}.xlsx", headers=rtx)
    assert template.status_code == 200
    assert template.mimetype.endswith("spreadsheetml.sheet")
    data = {"file": (io.BytesIO(template.data), "template.xlsx"), "dry_run": "true"}
    response = client.post("/api/v1/returns", data=data, headers=rtx,
                           content_type="multipart/form-data")
    body = response.get_json()
    assert response.status_code == 422  # an empty template: every expected value is missing
    assert {i["code"] for i in body["issues"]} <= {"missing_value", "missing_numerator",
                                                   "missing_denominator"}


def test_concurrent_retries_with_one_idempotency_key_all_get_the_one_receipt(
    app, rtx, catalogued
) -> None:
    """A double click on "submit", or a client retrying on a timeout, sends the same upload
    twice at once: both must be told it was accepted, and it must be recorded once."""
    held = post_csv(app.test_client(), rtx, csv_for("RTX"))[1]
    assert held["accepted"]
    restated = csv_for("RTX", attendances=1200)
    start = threading.Barrier(6)

    def send(_: int) -> tuple[int, dict]:
        start.wait()
        return post_csv(app.test_client(), rtx, restated, "?reason=recount",
                        **{"Idempotency-Key": "double-click"})

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(send, range(6)))

    assert [status for status, _ in answers] == [200] * 6, answers
    assert len({body["submission_id"] for _, body in answers}) == 1
    history = app.test_client().get(
        f"/api/v1/values/RTX/ae_attendances/{PERIOD}/history", headers=rtx).get_json()
    assert [h["value"] for h in history] == [1000.0, 1200.0]
