"""A member's return for one period, and its history as batch events.

Values travel in columnar payloads (one list per column), never one event or one dict per
value: a return of 200 values is one event, and a million values append at database speed.
The aggregate keeps only what its rules need (version, sign-off, unlock), not the values:
the warehouse holds those, version by version.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from ingest.log.events import ConcordAggregate
from ingest.log.ids import natural_id

# The columns of a values payload, each a list of equal length.
VALUE_COLUMNS = ("measure_code", "value", "numerator", "denominator", "comment")
Values = dict[str, list[Any]]


def return_id(org_code: str, period: str) -> UUID:
    """``period`` is ``YYYY-MM``: one return per member and month."""
    return natural_id("return", org_code, period)


class MemberReturn(ConcordAggregate):
    TOPIC = "concord:MemberReturn"

    class Submitted(ConcordAggregate.Created):
        """Version 1: the first values of a return. ``warnings`` as flagged at upload."""

        TOPIC = "concord:ReturnSubmitted"
        period: str
        values: Values
        warnings: list[dict[str, Any]]
        submission_id: str
        source: str

    class Created(ConcordAggregate.Created):
        """Version 1: a return that exists before any value (an admin unlocked it).

        Named ``Created`` because the library gives that name to an aggregate's plain
        creation event; it is stored as ``ReturnOpened``.
        """

        TOPIC = "concord:ReturnOpened"
        period: str

    class ValuesAdded(ConcordAggregate.Event):
        """Version 1: values not held before, sent after the first submission."""

        TOPIC = "concord:ValuesAdded"
        period: str
        values: Values
        warnings: list[dict[str, Any]]
        submission_id: str
        source: str

    class Restated(ConcordAggregate.Event):
        """Version 1: held values replaced by new ones, for a stated reason."""

        TOPIC = "concord:ValuesRestated"
        period: str
        values: Values
        reason: str
        warnings: list[dict[str, Any]]
        submission_id: str
        source: str

    class Retracted(ConcordAggregate.Event):
        """Version 1: held values withdrawn (they stay in history), for a stated reason."""

        TOPIC = "concord:ValuesRetracted"
        period: str
        measure_codes: list[str]
        reason: str

    class Unlocked(ConcordAggregate.Event):
        """Version 1: an admin lets this locked return change until ``until`` (YYYY-MM-DD)."""

        TOPIC = "concord:PeriodUnlocked"
        period: str
        reason: str
        until: str

    class SignedOff(ConcordAggregate.Event):
        """Version 1: the member's approver vouches for the return as of ``covers_version``."""

        TOPIC = "concord:ReturnSignedOff"
        period: str
        covers_version: int
        note: str

    def __init__(self, org_code: str | None, period: str, values: Values | None = None) -> None:
        self.org_code = org_code
        self.period = period
        self.value_count = len(values["measure_code"]) if values else 0
        self.values_version = 1 if values else 0  # version of the latest value change
        self.signed_off_version: int | None = None
        self.unlocked_until: str | None = None

    @classmethod
    def first_submission(cls, *, actor: str, org_code: str, period: str, values: Values,
                         warnings: list[dict[str, Any]], submission_id: str,
                         source: str) -> MemberReturn:
        """A new return with its first values: one event, not two."""
        return cls._create(
            cls.Submitted, id=return_id(org_code, period), actor=actor, org_code=org_code,
            period=period, values=values, warnings=warnings, submission_id=submission_id,
            source=source,
        )

    @classmethod
    def opened(cls, *, actor: str, org_code: str, period: str) -> MemberReturn:
        return cls._create(cls.Created, id=return_id(org_code, period), actor=actor,
                           org_code=org_code, period=period)

    # Each public method stamps the period on its event, so every event describes itself.
    def submit(self, **kwargs: Any) -> None:
        self._add(period=self.period, **kwargs)

    def restate(self, **kwargs: Any) -> None:
        self._restate(period=self.period, **kwargs)

    def retract(self, **kwargs: Any) -> None:
        self._retract(period=self.period, **kwargs)

    def unlock(self, **kwargs: Any) -> None:
        self._unlock(period=self.period, **kwargs)

    def sign_off(self, **kwargs: Any) -> None:
        self._sign_off(period=self.period, **kwargs)

    # Mutators run before the version moves on, hence ``self.version + 1``.
    @event(ValuesAdded)
    def _add(
        self, *, actor: str, org_code: str | None, period: str, values: Values,
        warnings: list[dict[str, Any]], submission_id: str, source: str,
    ) -> None:
        self.value_count += len(values["measure_code"])
        self.values_version = self.version + 1

    @event(Restated)
    def _restate(
        self, *, actor: str, org_code: str | None, period: str, values: Values, reason: str,
        warnings: list[dict[str, Any]], submission_id: str, source: str,
    ) -> None:
        self.values_version = self.version + 1

    @event(Retracted)
    def _retract(self, *, actor: str, org_code: str | None, period: str,
                 measure_codes: list[str], reason: str) -> None:
        self.value_count -= len(measure_codes)
        self.values_version = self.version + 1

    @event(Unlocked)
    def _unlock(self, *, actor: str, org_code: str | None, period: str, reason: str,
                until: str) -> None:
        self.unlocked_until = until

    @event(SignedOff)
    def _sign_off(self, *, actor: str, org_code: str | None, period: str, covers_version: int,
                  note: str) -> None:
        self.signed_off_version = covers_version

    @property
    def needs_sign_off(self) -> bool:
        """Values changed since the last sign-off (or were never signed off)."""
        return self.value_count > 0 and self.signed_off_version != self.values_version


class PeriodPublication(ConcordAggregate):
    """An admin's decision to share a period's values before the submission window closes."""

    TOPIC = "concord:PeriodPublication"

    class Created(ConcordAggregate.Created):
        TOPIC = "concord:PeriodPublished"
        period: str
        reason: str

    @staticmethod
    def create_id(actor: str, org_code: str | None, period: str, reason: str) -> UUID:
        return natural_id("publication", period)

    @event(Created)
    def __init__(self, actor: str, org_code: str | None, period: str, reason: str) -> None:
        self.period = period


def submission_record_id(actor_id: str, idempotency_key: str | None, submission_id: str) -> UUID:
    """Keyed uploads get an id from (actor, key): a retry with the same key collides."""
    if idempotency_key:
        return natural_id("submission", actor_id, idempotency_key)
    return natural_id("submission", submission_id)


class SubmissionRecord(ConcordAggregate):
    """The receipt of one accepted upload, appended in the same transaction as its values."""

    TOPIC = "concord:SubmissionRecord"

    class Created(ConcordAggregate.Created):
        """Version 1: what was accepted, from where, and the receipt given back."""

        TOPIC = "concord:SubmissionAccepted"
        submission_id: str
        idempotency_key: str | None
        source: str
        receipt: dict[str, Any]

    @staticmethod
    def create_id(actor: str, org_code: str | None, submission_id: str,
                  idempotency_key: str | None, source: str, receipt: dict[str, Any]) -> UUID:
        return submission_record_id(actor, idempotency_key, submission_id)

    @event(Created)
    def __init__(self, actor: str, org_code: str | None, submission_id: str,
                 idempotency_key: str | None, source: str, receipt: dict[str, Any]) -> None:
        self.receipt = receipt
