"""What a validation's DuckDB connection sees: the upload, the catalogue, the read side's facts.

The catalogue becomes two small Arrow tables so every check is a join, never a Python lookup
per row; the rules become named parameters bound to the SQL.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from ingest.catalogue.model import Catalogue
from ingest.returns.columns import RAW_SCHEMA
from ingest.returns.periods import parse_period
from ingest.validation.contracts import HELD_SCHEMA, UNLOCKED_SCHEMA, ValidationContext

MEASURES_SCHEMA = pa.schema([
    pa.field("code", pa.string()),
    pa.field("kind", pa.string()),
    pa.field("is_ratio", pa.bool_()),
    pa.field("valid_min", pa.float64()),
    pa.field("valid_max", pa.float64()),
    pa.field("multiplier", pa.float64()),
    pa.field("numerator_label", pa.string()),
    pa.field("denominator_label", pa.string()),
    pa.field("applies_to", pa.list_(pa.string())),  # member types; empty means every member
])
MEMBERS_SCHEMA = pa.schema([pa.field("code", pa.string()), pa.field("type", pa.string())])


def measures_table(catalogue: Catalogue) -> pa.Table:
    """One row per catalogue measure, with what the checks need to judge its figures."""
    rows = [
        {
            "code": m.code, "kind": m.kind, "is_ratio": m.is_ratio,
            "valid_min": m.valid_min, "valid_max": m.valid_max, "multiplier": m.multiplier,
            # Labels appear in messages; a ratio without them still reads sensibly.
            "numerator_label": m.numerator_label or "numerator",
            "denominator_label": m.denominator_label or "denominator",
            "applies_to": list(m.applies_to),
        }
        for m in catalogue.measures
    ]
    return pa.Table.from_pylist(rows, schema=MEASURES_SCHEMA)


def members_table(catalogue: Catalogue) -> pa.Table:
    rows = [{"code": m.code, "type": m.type} for m in catalogue.alliance.members]
    return pa.Table.from_pylist(rows, schema=MEMBERS_SCHEMA)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The table's columns in the contract's order and types; a missing column is a caller bug."""
    missing = [name for name in schema.names if name not in table.column_names]
    if missing:
        raise ValueError(f"table lacks column(s) {missing} of its contract")
    return table.select(schema.names).cast(schema)


def register_inputs(con: duckdb.DuckDBPyConnection, raw: pa.Table,
                    context: ValidationContext) -> None:
    """Expose every input as a table name the SQL files use (zero-copy Arrow scans)."""
    con.register("raw", conform(raw, RAW_SCHEMA))
    con.register("measures", measures_table(context.catalogue))
    con.register("members", members_table(context.catalogue))
    con.register("held", conform(context.held, HELD_SCHEMA))
    con.register("unlocked", conform(context.unlocked, UNLOCKED_SCHEMA))


def parameters(context: ValidationContext, max_per_code: int) -> dict[str, Any]:
    """Every value the SQL binds, by name; each statement takes only those it mentions."""
    calendar = context.catalogue.alliance.calendar
    rules = context.rules
    return {
        "on_behalf_of": context.on_behalf_of,
        "today": context.today,
        "first_period": parse_period(calendar.first_period),
        "due_days": calendar.due_days_after_month_end,
        "lock_days": calendar.lock_days_after_due,
        "lock_offset_days": calendar.due_days_after_month_end + calendar.lock_days_after_due,
        "value_tolerance": rules.value_tolerance,
        "outlier_z": rules.outlier_z,
        "outlier_window": rules.outlier_window,
        "outlier_min_history": rules.outlier_min_history,
        "change_warning_share": rules.change_warning_share,
        "max_per_code": max_per_code,
    }
