"""The role table, pair by pair, and the member binding that narrows what a submitter may do."""

from __future__ import annotations

import pytest

from ingest.identity.policy import Action, may, require, require_self_or
from ingest.log.actor import Actor, Role
from ingest.log.errors import Forbidden

# Written out by hand (not derived from PERMISSIONS) so a change to the table must be deliberate.
# Submitters are asked about their own member and hold sign-off rights.
EXPECTED_TABLE = """
                    submitter  board  executive  admin
read_shared         yes        yes    yes        yes
read_member         yes        yes    yes        yes
submit_return       yes        no     no         yes
sign_off_return     yes        no     no         yes
publish_period      no         no     no         yes
unlock_period       no         no     no         yes
manage_catalogue    no         no     no         yes
manage_users        no         no     no         yes
manage_tokens       no         no     no         yes
operate             no         no     no         yes
read_governance     yes        yes    yes        yes
manage_governance   no         no     yes        yes
"""


def _expected() -> dict[tuple[Role, Action], bool]:
    header, *lines = EXPECTED_TABLE.strip().splitlines()
    roles = [Role(name) for name in header.split()]
    table = {}
    for line in lines:
        action, *answers = line.split()
        for role, answer in zip(roles, answers, strict=True):
            table[(role, Action(action))] = answer == "yes"
    return table


EXPECTED = _expected()


def _actor(role: Role, member_code: str | None = None, can_sign_off: bool = False) -> Actor:
    return Actor(id=f"user:{role}", role=role, member_code=member_code, can_sign_off=can_sign_off)


def test_expected_table_covers_every_role_and_action() -> None:
    assert set(EXPECTED) == {(role, action) for role in Role for action in Action}


@pytest.mark.parametrize(("role", "action"), sorted(EXPECTED))
def test_role_may_do_exactly_what_the_table_says(role: Role, action: Action) -> None:
    bound = "M01" if role is Role.SUBMITTER else None
    actor = _actor(role, member_code=bound, can_sign_off=role is Role.SUBMITTER)

    assert may(actor, action, member_code="M01") is EXPECTED[(role, action)]


@pytest.mark.parametrize(
    "action", [Action.READ_MEMBER, Action.SUBMIT_RETURN, Action.SIGN_OFF_RETURN]
)
def test_submitter_may_not_act_for_another_member(action: Action) -> None:
    submitter = _actor(Role.SUBMITTER, member_code="M01", can_sign_off=True)

    assert not may(submitter, action, member_code="M02")
    with pytest.raises(Forbidden, match=r"member 'M02'.*bound to member 'M01'"):
        require(submitter, action, member_code="M02")


def test_submitter_member_bound_action_needs_a_named_member() -> None:
    submitter = _actor(Role.SUBMITTER, member_code="M01")

    assert not may(submitter, Action.SUBMIT_RETURN)


def test_submitter_without_sign_off_rights_may_submit_but_not_sign_off() -> None:
    submitter = _actor(Role.SUBMITTER, member_code="M01", can_sign_off=False)

    assert may(submitter, Action.SUBMIT_RETURN, member_code="M01")
    with pytest.raises(Forbidden, match="sign_off_return for member 'M01' without sign-off"):
        require(submitter, Action.SIGN_OFF_RETURN, member_code="M01")


def test_shared_reads_ignore_the_submitters_member() -> None:
    submitter = _actor(Role.SUBMITTER, member_code="M01")

    assert may(submitter, Action.READ_SHARED, member_code="M02")


def test_board_may_read_any_members_detail() -> None:
    assert may(_actor(Role.BOARD), Action.READ_MEMBER, member_code="M07")


def test_forbidden_names_the_role_and_action_and_carries_403() -> None:
    with pytest.raises(Forbidden, match="role 'executive' may not operate") as caught:
        require(_actor(Role.EXECUTIVE), Action.OPERATE)

    assert caught.value.status == 403
    assert caught.value.details["action"] == "operate"


def test_user_may_act_on_their_own_records_without_the_admin_action() -> None:
    alice = Actor(id="user:alice", role=Role.BOARD)

    require_self_or(alice, Action.MANAGE_TOKENS, "alice")
    with pytest.raises(Forbidden, match="manage_tokens"):
        require_self_or(alice, Action.MANAGE_TOKENS, "bob")


def test_operator_at_the_console_is_not_mistaken_for_a_user_of_the_same_name() -> None:
    operator = Actor(id="cli:alice", role=Role.BOARD)

    assert not may(operator, Action.MANAGE_TOKENS)
    with pytest.raises(Forbidden):
        require_self_or(operator, Action.MANAGE_TOKENS, "alice")
