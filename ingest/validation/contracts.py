"""What validation takes and gives. The held values come from the read side, injected."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import pyarrow as pa

from ingest.catalogue.model import Catalogue, ValidationRules
from ingest.log.actor import Actor
from ingest.returns.issues import Issue

# What the read side hands validation: the current (non-retracted) values of the members
# in the upload, all periods. Used for the diff, the change-share and outlier warnings.
HELD_SCHEMA = pa.schema([
    pa.field("org_code", pa.string()),
    pa.field("measure_code", pa.string()),
    pa.field("period", pa.date32()),
    pa.field("value", pa.float64()),
    pa.field("numerator", pa.float64()),
    pa.field("denominator", pa.float64()),
])

# Returns unlocked by an admin after their period locked: changes allowed until the date.
UNLOCKED_SCHEMA = pa.schema([
    pa.field("org_code", pa.string()),
    pa.field("period", pa.date32()),
    pa.field("unlocked_until", pa.date32()),
])

# Validation's output rows: TYPED_SCHEMA plus the diff against what is held.
CHECKED_SCHEMA = pa.schema([
    pa.field("row", pa.int64(), nullable=False),
    pa.field("org_code", pa.string(), nullable=False),
    pa.field("measure_code", pa.string(), nullable=False),
    pa.field("period", pa.date32(), nullable=False),
    pa.field("value", pa.float64()),
    pa.field("numerator", pa.float64()),
    pa.field("denominator", pa.float64()),
    pa.field("comment", pa.string()),
    pa.field("change", pa.string(), nullable=False),  # 'new' | 'changed' | 'unchanged'
    pa.field("previous_value", pa.float64()),
    pa.field("previous_numerator", pa.float64()),
    pa.field("previous_denominator", pa.float64()),
])


def empty(schema: pa.Schema) -> pa.Table:
    return schema.empty_table()


@dataclass(frozen=True)
class ValidationContext:
    """Everything validation needs besides the rows; built by the command, never global."""

    catalogue: Catalogue
    actor: Actor
    today: date
    on_behalf_of: str | None = None  # rows must all be for this member (submitter / --as)
    held: pa.Table = field(default_factory=lambda: empty(HELD_SCHEMA))
    unlocked: pa.Table = field(default_factory=lambda: empty(UNLOCKED_SCHEMA))

    @property
    def rules(self) -> ValidationRules:
        return self.catalogue.alliance.validation


@dataclass(frozen=True)
class ValidationResult:
    rows: pa.Table  # CHECKED_SCHEMA; empty when there are errors
    errors: list[Issue]
    warnings: list[Issue]
    # How many issues of each code were found; the lists hold at most a capped number of each
    # plus one summary issue, so a garbage file gives a bounded report. Empty if built by hand.
    issue_counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors
