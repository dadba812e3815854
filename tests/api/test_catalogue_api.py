"""Catalogue through the API: reading as of any moment, applying changes, conflicts."""

from __future__ import annotations

from pathlib import Path

from flask.testing import FlaskClient

from concord.settings import DEFAULT_CONFIG_DIR


def _toml(name: str) -> str:
    return (Path(DEFAULT_CONFIG_DIR) / name).read_text(encoding="utf-8")


def _body(**changes: object) -> dict[str, object]:
    return {"alliance_toml": _toml("alliance.toml"), "measures_toml": _toml("measures.toml"),
            **changes}


def test_reading_needs_a_token(client: FlaskClient) -> None:
    response = client.get("/api/v1/members")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert "token" in response.get_json()["detail"]


def test_members_and_measures_come_from_the_warehouse(
    client: FlaskClient, board_headers: dict[str, str], demo_catalogue
) -> None:
    members = client.get("/api/v1/members", headers=board_headers).get_json()
    measures = client.get("/api/v1/measures", headers=board_headers).get_json()
    assert [m["org_code"] for m in members] == [m.code for m in demo_catalogue.alliance.members]
    assert {m["domain"] for m in measures} == {"clinical_quality", "access", "cost", "engagement"}


def test_peer_groups_list_their_members(client: FlaskClient, board_headers: dict[str, str],
                                        demo_catalogue) -> None:
    groups = client.get("/api/v1/peer-groups", headers=board_headers).get_json()
    by_code = {g["peer_group_code"]: g["members"] for g in groups}
    for member in demo_catalogue.alliance.members:
        for group in member.peer_groups:
            assert member.code in by_code[group]


def test_board_member_cannot_change_the_catalogue(client: FlaskClient,
                                                  board_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/catalogue", json=_body(), headers=board_headers)
    assert response.status_code == 403
    assert "board" in response.get_json()["detail"]


def test_applying_identical_content_is_a_no_op(client: FlaskClient,
                                               admin_headers: dict[str, str]) -> None:
    response = client.post("/api/v1/catalogue", json=_body(), headers=admin_headers)
    assert response.status_code == 200
    assert response.get_json()["changed"] is False


def test_a_changed_target_is_recorded_and_the_old_one_stays_visible_as_of(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    before = client.get("/api/v1/measures", headers=admin_headers).get_json()
    old_target = next(m for m in before if m["measure_code"] == "ae_4hr_performance")["target"]
    changed = _toml("measures.toml").replace(f"target = {old_target}", "target = 0.76", 1)
    assert changed != _toml("measures.toml")

    response = client.post("/api/v1/catalogue", json=_body(measures_toml=changed),
                           headers=admin_headers)

    assert response.status_code == 200, response.get_json()
    receipt = response.get_json()
    assert receipt["changed"] is True
    now = client.get("/api/v1/measures", headers=admin_headers).get_json()
    then = client.get(f"/api/v1/measures?as_of={receipt['position'] - 1}",
                      headers=admin_headers).get_json()
    target = {m["measure_code"]: m["target"] for m in now}["ae_4hr_performance"]
    old = {m["measure_code"]: m["target"] for m in then}["ae_4hr_performance"]
    assert (target, old) == (0.76, old_target)


def test_second_writer_on_the_same_version_gets_409(client: FlaskClient,
                                                    admin_headers: dict[str, str]) -> None:
    versions = client.get("/api/v1/catalogue/versions", headers=admin_headers).get_json()
    seen = versions[-1]["version"]
    first = _toml("measures.toml").replace("target = 0.95", "target = 0.94", 1)
    second = _toml("measures.toml").replace("target = 0.95", "target = 0.93", 1)

    ok = client.post("/api/v1/catalogue", json=_body(measures_toml=first, expected_version=seen),
                     headers=admin_headers)
    clash = client.post("/api/v1/catalogue",
                        json=_body(measures_toml=second, expected_version=seen),
                        headers=admin_headers)

    assert ok.status_code == 200
    assert clash.status_code == 409
    assert clash.get_json()["code"] == "conflict"


def test_bad_catalogue_is_refused_with_file_entry_and_field(
    client: FlaskClient, admin_headers: dict[str, str]
) -> None:
    broken = _toml("measures.toml").replace('domain = "access"', 'domain = "speed"', 1)
    response = client.post("/api/v1/catalogue", json=_body(measures_toml=broken),
                           headers=admin_headers)
    assert response.status_code == 422
    problem = response.get_json()["problems"][0]
    assert problem["file"] == "measures.toml"
    assert problem["field"] == "domain"
    assert "measure '" in problem["entry"]


def test_bad_as_of_is_a_clear_422(client: FlaskClient, board_headers: dict[str, str]) -> None:
    response = client.get("/api/v1/members?as_of=yesterday", headers=board_headers)
    assert response.status_code == 422
    assert "as_of" in response.get_json()["detail"]


def test_openapi_spec_lists_the_endpoints(client: FlaskClient) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"/api/v1/members", "/api/v1/measures", "/api/v1/catalogue"} <= set(spec["paths"])
