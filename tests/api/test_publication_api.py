"""Sign-off and publication: who sees a member's values, and from when."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient

from concord.services import Services
from concord.settings import DEFAULT_CONFIG_DIR
from ingest.identity.commands import add_user, create_token
from ingest.log.actor import Actor
from tests.api.conftest import token_for
from tests.api.test_returns_api import PERIOD, csv_for, post_csv


def _approver(services: Services, username: str, member: str) -> dict[str, str]:
    operator = Actor.operator("test")
    add_user(services.log, operator, username=username, role="submitter", member_code=member,
             can_sign_off=True)
    token = create_token(services.log, operator, username=username, label="t").token
    return {"Authorization": f"Bearer {token}"}


def _seen(client: FlaskClient, headers: dict[str, str]) -> set[tuple[str, str]]:
    rows = client.get(f"/api/v1/values?period={PERIOD}", headers=headers).get_json()
    return {(r["org_code"], r["measure_code"]) for r in rows}


@pytest.fixture
def rtx_approver(catalogued: Services) -> dict[str, str]:
    return _approver(catalogued, "ruth", "RTX")


def _calendar(client: FlaskClient, admin: dict[str, str], *, due: int, lock: int) -> None:
    alliance = Path(DEFAULT_CONFIG_DIR, "alliance.toml").read_text()
    changed = alliance.replace("due_days_after_month_end = 20",
                               f"due_days_after_month_end = {due}")
    changed = changed.replace("lock_days_after_due = 30", f"lock_days_after_due = {lock}")
    applied = client.post("/api/v1/catalogue", headers=admin, json={
        "alliance_toml": changed,
        "measures_toml": Path(DEFAULT_CONFIG_DIR, "measures.toml").read_text()})
    assert applied.get_json()["changed"] is True, applied.get_json()


@pytest.fixture(autouse=True)
def window_closed_for_last_month(client: FlaskClient, admin_headers) -> None:
    """Last month's submission window is closed and its return not locked, whatever today's
    date: due on the last day of the month, locked two months later. (With the demo's
    calendar the window stays open until the 20th, so these tests would depend on the day.)
    """
    _calendar(client, admin_headers, due=0, lock=60)


@pytest.fixture
def other_member(catalogued: Services) -> dict[str, str]:
    return {"Authorization": "Bearer " + token_for(catalogued, "omar", "submitter", "RXF")}


def test_a_member_sees_its_own_values_at_once_others_only_after_sign_off(
    client: FlaskClient, rtx_approver, other_member, board_headers
) -> None:
    post_csv(client, rtx_approver, csv_for("RTX"))
    assert ("RTX", "ae_attendances") in _seen(client, rtx_approver)
    assert _seen(client, other_member) == set()
    assert _seen(client, board_headers) == set()

    signed = client.post(f"/api/v1/returns/RTX/{PERIOD}/sign-off", json={}, headers=rtx_approver)

    assert signed.status_code == 200, signed.get_json()
    assert ("RTX", "ae_attendances") in _seen(client, other_member)  # window closed already


def test_restated_values_stay_hidden_until_signed_off_again(
    client: FlaskClient, rtx_approver, other_member
) -> None:
    post_csv(client, rtx_approver, csv_for("RTX"))
    client.post(f"/api/v1/returns/RTX/{PERIOD}/sign-off", json={}, headers=rtx_approver)
    post_csv(client, rtx_approver, csv_for("RTX", attendances=2000), "?reason=late+data")

    def attendances(headers: dict[str, str]) -> float:
        rows = client.get(f"/api/v1/values?period={PERIOD}&measure_code=ae_attendances",
                          headers=headers).get_json()
        return next(r["value"] for r in rows if r["org_code"] == "RTX")

    assert attendances(rtx_approver) == 2000.0
    assert attendances(other_member) == 1000.0  # the signed-off version stands for others
    client.post(f"/api/v1/returns/RTX/{PERIOD}/sign-off", json={}, headers=rtx_approver)
    assert attendances(other_member) == 2000.0


def test_an_open_window_needs_an_admin_to_publish_early(
    client: FlaskClient, catalogued: Services, rtx_approver, other_member, admin_headers
) -> None:
    _calendar(client, admin_headers, due=45, lock=60)
    post_csv(client, rtx_approver, csv_for("RTX"))
    client.post(f"/api/v1/returns/RTX/{PERIOD}/sign-off", json={}, headers=rtx_approver)
    assert _seen(client, other_member) == set()  # signed off, but the window is still open

    refused = client.post(f"/api/v1/periods/{PERIOD}/publish", json={"reason": "board"},
                          headers=rtx_approver)
    published = client.post(f"/api/v1/periods/{PERIOD}/publish",
                            json={"reason": "board meets early"}, headers=admin_headers)

    assert refused.status_code == 403
    assert published.status_code == 200
    assert ("RTX", "ae_attendances") in _seen(client, other_member)


def test_submitter_without_sign_off_right_cannot_sign_off(client, rtx) -> None:
    post_csv(client, rtx, csv_for("RTX"))
    response = client.post(f"/api/v1/returns/RTX/{PERIOD}/sign-off", json={}, headers=rtx)
    assert response.status_code == 403


def test_admin_sees_everything_at_once(client, rtx, admin_headers) -> None:
    post_csv(client, rtx, csv_for("RTX"))
    assert ("RTX", "ae_attendances") in _seen(client, admin_headers)


def test_a_retraction_hides_the_value_from_others_at_once(client, rtx_approver,
                                                          other_member) -> None:
    post_csv(client, rtx_approver, csv_for("RTX"))
    client.post(f"/api/v1/returns/RTX/{PERIOD}/sign-off", json={}, headers=rtx_approver)
    assert ("RTX", "ae_attendances") in _seen(client, other_member)

    retracted = client.post(f"/api/v1/returns/RTX/{PERIOD}/retract", headers=rtx_approver,
                            json={"measure_codes": ["ae_attendances"], "reason": "duplicate"})

    assert retracted.status_code == 200
    assert ("RTX", "ae_attendances") not in _seen(client, other_member)
    assert ("RTX", "ae_4hr_performance") in _seen(client, other_member)
