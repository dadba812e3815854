"""Use cases after submission: retract, unlock, sign off, publish. Each needs its actor's right."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.identity.policy import Action, require
from ingest.log.actor import Actor
from ingest.log.errors import Conflict, Invalid, NotFound
from ingest.log.store import EventLog
from ingest.returns.aggregate import MemberReturn, PeriodPublication, return_id
from ingest.returns.periods import parse_period

UNLOCK_DAYS_MAX = 60


@dataclass(frozen=True)
class LifecycleResult:
    return_id: str
    version: int
    position: int
    message: str


def _reason(reason: str | None, what: str) -> str:
    text = (reason or "").strip()
    if not text:
        raise Invalid(f"{what} needs a reason", field="reason")
    return text


def _load(log: EventLog, org_code: str, period: str) -> MemberReturn:
    parse_period(period)
    try:
        return log.load(return_id(org_code, period))  # type: ignore[no-any-return]
    except NotFound:
        raise NotFound(f"no return from {org_code} for {period}") from None


def retract_values(log: EventLog, actor: Actor, org_code: str, period: str,
                   measure_codes: Sequence[str], reason: str | None,
                   held_measures: Sequence[str]) -> LifecycleResult:
    """Withdraw held values (they stay in history). ``held_measures``: what the return holds."""
    require(actor, Action.SUBMIT_RETURN, org_code)
    text = _reason(reason, "a retraction")
    unknown = sorted(set(measure_codes) - set(held_measures))
    if unknown or not measure_codes:
        raise Invalid(f"nothing held to retract for {', '.join(unknown) or 'no measures'} "
                      f"in {org_code} {period}", field="measure_codes")
    ret = _load(log, org_code, period)
    ret.retract(actor=actor.id, org_code=org_code, measure_codes=sorted(set(measure_codes)),
                reason=text)
    position = log.append(ret)
    return LifecycleResult(str(ret.id), ret.version, position,
                           f"retracted {len(set(measure_codes))} values")


def unlock_return(log: EventLog, actor: Actor, org_code: str, period: str, reason: str | None,
                  *, today: date, days: int = 7) -> LifecycleResult:
    """Let a member change a locked return for ``days`` days (creates the return if needed)."""
    require(actor, Action.UNLOCK_PERIOD, org_code)
    text = _reason(reason, "unlocking a period")
    if not 1 <= days <= UNLOCK_DAYS_MAX:
        raise Invalid(f"days must be 1 to {UNLOCK_DAYS_MAX}, got {days}", field="days")
    parse_period(period)
    rid = return_id(org_code, period)
    ret = log.load(rid) if log.exists(rid) else MemberReturn.opened(
        actor=actor.id, org_code=org_code, period=period)
    until = (today + timedelta(days=days)).isoformat()
    ret.unlock(actor=actor.id, org_code=org_code, reason=text, until=until)
    position = log.append(ret)
    return LifecycleResult(str(ret.id), ret.version, position,
                           f"{org_code} {period} unlocked until {until}")


def sign_off_return(log: EventLog, actor: Actor, org_code: str, period: str,
                    note: str = "") -> LifecycleResult:
    """The member's approver vouches for the return as it stands now."""
    require(actor, Action.SIGN_OFF_RETURN, org_code)
    ret = _load(log, org_code, period)
    if ret.value_count == 0:
        raise Conflict(f"{org_code} {period} holds no values to sign off")
    if not ret.needs_sign_off:
        raise Conflict(f"{org_code} {period} is already signed off as it stands "
                       f"(version {ret.signed_off_version})")
    ret.sign_off(actor=actor.id, org_code=org_code, covers_version=ret.values_version,
                 note=note.strip())
    position = log.append(ret)
    return LifecycleResult(str(ret.id), ret.version, position,
                           f"{org_code} {period} signed off")


def publish_period(log: EventLog, actor: Actor, period: str, reason: str | None) -> int:
    """Share a period's signed-off values before its submission window closes."""
    require(actor, Action.PUBLISH_PERIOD)
    text = _reason(reason, "publishing early")
    parse_period(period)
    publication = PeriodPublication(actor=actor.id, org_code=None, period=period, reason=text)
    return log.append(publication)
