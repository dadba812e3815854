"""Every bad upload in the corpus, sent through the API: a clear 4xx naming row, column and
rule; the server stays up; nothing already accepted is lost or changed."""

from __future__ import annotations

import io
import tomllib
from typing import Any

import pytest
from flask.testing import FlaskClient

from concord.services import Services
from tests.api.test_returns_api import PERIOD, csv_for, post_csv
from tests.unit.test_parsing_corpus import CORPUS, GENERATED

MANIFEST = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["case"]
ROW_LEVEL = [  # validation-stage files as a member would send them (dates relative to today)
    ("not_a_number", 2, "value", f"RTX,ae_attendances,{PERIOD},12;5,,,"),
    ("not_finite", 2, "value", f"RTX,ae_attendances,{PERIOD},1e999,,,"),
    ("not_finite", 2, "value", f"RTX,ae_attendances,{PERIOD},NaN,,,"),
    ("out_of_range", 2, "value", f"RTX,shmi,{PERIOD},,1e308,1,"),
    ("formula_cell", 2, "comment",
     f'RTX,ae_attendances,{PERIOD},5,,,"=HYPERLINK(""http://x"",""click"")"'),
    ("bad_period", 2, "period", "RTX,ae_attendances,03/2024,5,,,"),
    ("bad_period", 2, "period", "RTX,ae_attendances,2024-3,5,,,"),
    ("bad_period", 2, "period", "RTX,ae_attendances,2024-03-01,5,,,"),
    ("future_period", 2, "period", "RTX,ae_attendances,2999-01,5,,,"),
    ("locked_period", 2, "period", "RTX,ae_attendances,2017-01,5,,,"),
    ("negative_count", 2, "value", f"RTX,ae_attendances,{PERIOD},-3,,,"),
    ("numerator_exceeds_denominator", 2, "numerator",
     f"RTX,ae_4hr_performance,{PERIOD},,11,10,"),
    ("value_mismatch", 2, "value", f"RTX,ae_4hr_performance,{PERIOD},0.5,9,10,"),
    ("unknown_measure", 2, "measure_code", f"RTX,ae_4hr_perfromance,{PERIOD},,9,10,"),
    ("wrong_member", 2, "org_code", f"RXF,ae_attendances,{PERIOD},5,,,"),
]


def _payload(case: dict[str, Any]) -> bytes:
    if case.get("generated"):
        return GENERATED[case["file"]]()
    return (CORPUS / case["file"]).read_bytes()


@pytest.fixture
def seeded(client: FlaskClient, catalogued: Services, rtx: dict[str, str]):
    """A member with an accepted return, so each test can check nothing of it changes."""
    headers = rtx
    status, _ = post_csv(client, headers, csv_for("RTX"))
    assert status == 200
    with catalogued.warehouse.reading() as cur:
        held = cur.execute("SELECT * FROM current_values ORDER BY ALL").fetchall()
    return headers, held, catalogued.log.head()


def _assert_nothing_changed(client: FlaskClient, services: Services, held: list, head: int):
    assert client.get("/healthz").status_code == 200
    assert services.log.head() == head
    with services.warehouse.reading() as cur:
        assert cur.execute("SELECT * FROM current_values ORDER BY ALL").fetchall() == held


@pytest.mark.parametrize("case", [c for c in MANIFEST if c["stage"] == "parse"],
                         ids=lambda c: c["file"])
def test_bad_file_is_refused_with_its_exact_error(case, client, catalogued, seeded) -> None:
    headers, held, head = seeded
    name = case["file"]
    content_type = "application/json" if name.endswith(".json") else None
    if content_type:
        response = client.post("/api/v1/returns", data=_payload(case), headers=headers,
                               content_type=content_type)
    else:
        data = {"file": (io.BytesIO(_payload(case)), name)}
        if case.get("sheet"):
            data["sheet"] = case["sheet"]
        response = client.post("/api/v1/returns", data=data, headers=headers,
                               content_type="multipart/form-data")
    body = response.get_json()
    assert 400 <= response.status_code < 500, body
    issues = body.get("issues") or []
    found = [(i["code"], i["row"], i["column"] or "") for i in issues]
    if name.endswith(".json") and case["expect_code"] in ("malformed_json", "bad_json",
                                                          "json_not_list"):
        assert response.status_code == 422
    else:
        assert (case["expect_code"], case["expect_row"], case["expect_column"]) in found, body
    _assert_nothing_changed(client, catalogued, held, head)


@pytest.mark.parametrize(("code", "row", "column", "line"), ROW_LEVEL,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(ROW_LEVEL)])
def test_bad_row_is_refused_with_row_column_and_rule(code, row, column, line, client,
                                                     catalogued, seeded) -> None:
    headers, held, head = seeded
    status, body = post_csv(client, headers, csv_for("RTX").splitlines()[0] + "\n" + line + "\n")
    assert status == 422, body
    assert (code, row, column) in [(i["code"], i["row"], i["column"]) for i in body["issues"]]
    _assert_nothing_changed(client, catalogued, held, head)


def test_oversized_file_is_413(client, app, catalogued, seeded) -> None:
    headers, held, head = seeded
    app.config["MAX_CONTENT_LENGTH"] = 10_000
    try:
        status, body = post_csv(client, headers, csv_for("RTX") + "#" * 20_000)
    finally:
        app.config["MAX_CONTENT_LENGTH"] = None
    assert status == 413
    assert body["code"] == "request_entity_too_large"
    _assert_nothing_changed(client, catalogued, held, head)
