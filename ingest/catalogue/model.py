"""Catalogue value objects and their canonical document (what a ``CatalogueApplied`` event holds).

The document is plain JSON-able data with sorted, explicit keys, so the same content always
hashes the same and ``concord config apply`` can tell whether anything changed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

DOMAINS = ("clinical_quality", "access", "cost", "engagement")
KINDS = ("proportion", "rate", "ratio", "mean", "count", "currency", "score")
RATIO_KINDS = frozenset({"proportion", "rate", "ratio"})
IMPROVEMENTS = ("increase", "decrease", "neutral")


@dataclass(frozen=True)
class Measure:
    """One KPI. Ratio kinds are submitted as numerator and denominator; ``value`` is derived."""

    code: str
    name: str
    domain: str
    kind: str
    unit: str
    improvement: str
    valid_min: float | None = None
    valid_max: float | None = None
    numerator_label: str | None = None
    denominator_label: str | None = None
    multiplier: float = 1.0
    target: float | None = None
    small_number_threshold: int | None = None
    definition: str = ""
    source: str = ""
    applies_to: tuple[str, ...] = ()  # member types expected to report it; () means all

    @property
    def is_ratio(self) -> bool:
        return self.kind in RATIO_KINDS

    def expected_from(self, member_type: str) -> bool:
        return not self.applies_to or member_type in self.applies_to



@dataclass(frozen=True)
class PeerGroup:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Member:
    code: str
    name: str
    type: str
    peer_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportingCalendar:
    """Monthly periods from ``first_period`` (``YYYY-MM``); due and lock offsets in days."""

    first_period: str
    due_days_after_month_end: int
    lock_days_after_due: int


@dataclass(frozen=True)
class ValidationRules:
    """Thresholds for upload warnings (accepted but flagged); ``[validation]`` in alliance.toml.

    Outliers use a robust z-score against the member's own history of the measure:
    ``|x - median| / (1.4826 * MAD)`` over the last ``outlier_window`` months before the period,
    when at least ``outlier_min_history`` of them are held.
    """

    outlier_z: float = 3.5
    outlier_window: int = 24
    outlier_min_history: int = 6
    change_warning_share: float = 0.5  # a restated value moving more than this share
    value_tolerance: float = 0.0005  # a given value may differ this much from num/den


@dataclass(frozen=True)
class Alliance:
    code: str
    name: str
    calendar: ReportingCalendar
    members: tuple[Member, ...]
    peer_groups: tuple[PeerGroup, ...] = ()
    min_peer_group_size: int = 3
    accountability: Mapping[str, Any] = field(default_factory=dict)
    validation: ValidationRules = field(default_factory=ValidationRules)


@dataclass(frozen=True)
class Catalogue:
    """Everything ``config apply`` records in one event."""

    alliance: Alliance
    measures: tuple[Measure, ...]

    def to_document(self) -> dict[str, Any]:
        """Canonical JSON-able form; members and measures keep their file order."""
        doc = asdict(self)
        for member in doc["alliance"]["members"]:
            member["peer_groups"] = list(member["peer_groups"])
        for measure in doc["measures"]:
            measure["applies_to"] = list(measure["applies_to"])
        doc["alliance"]["accountability"] = dict(self.alliance.accountability)
        return doc

    def content_hash(self) -> str:
        canonical = json.dumps(self.to_document(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def from_document(cls, doc: Mapping[str, Any]) -> Catalogue:
        a = doc["alliance"]
        alliance = Alliance(
            code=a["code"],
            name=a["name"],
            calendar=ReportingCalendar(**a["calendar"]),
            members=tuple(
                Member(**{**m, "peer_groups": tuple(m["peer_groups"])}) for m in a["members"]
            ),
            peer_groups=tuple(PeerGroup(**p) for p in a["peer_groups"]),
            min_peer_group_size=a["min_peer_group_size"],
            accountability=dict(a.get("accountability", {})),
            validation=ValidationRules(**a.get("validation", {})),
        )
        measures = tuple(
            Measure(**{**m, "applies_to": tuple(m.get("applies_to", ()))}) for m in doc["measures"]
        )
        return cls(alliance=alliance, measures=measures)

    def measure(self, code: str) -> Measure | None:
        return next((m for m in self.measures if m.code == code), None)

    def member(self, code: str) -> Member | None:
        return next((m for m in self.alliance.members if m.code == code), None)
