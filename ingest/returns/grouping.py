"""Split checked rows into per-return payloads, column by column (no per-value Python)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pyarrow as pa

from ingest.returns.aggregate import VALUE_COLUMNS, Values

KEYS = ("org_code", "period", "change")
EPOCH = date(1970, 1, 1)


@dataclass
class ReturnChanges:
    """What one upload does to one (member, period) return."""

    org_code: str
    period: str
    new: Values | None = None
    changed: Values | None = None
    unchanged: int = 0

    @property
    def new_count(self) -> int:
        return len(self.new["measure_code"]) if self.new else 0

    @property
    def changed_count(self) -> int:
        return len(self.changed["measure_code"]) if self.changed else 0


def group_changes(checked: pa.Table) -> list[ReturnChanges]:
    """One entry per (member, period) touched by the upload, sorted by member and period.

    Each key column is dictionary-encoded to integers and combined into one int64 key;
    a stable numpy argsort then orders the rows (file order kept inside a group) about ten
    times faster than sorting the strings, and ``np.unique`` finds the runs.
    """
    if not checked.num_rows:
        return []
    codes, labels = zip(*(_encode(checked[k]) for k in KEYS), strict=True)
    combined = (codes[0] * len(labels[1]) + codes[1]) * len(labels[2]) + codes[2]
    order = np.argsort(combined, kind="stable")
    ordered_keys = combined[order]
    starts = np.flatnonzero(np.r_[True, ordered_keys[1:] != ordered_keys[:-1]])
    ordered = checked.select(list(VALUE_COLUMNS)).combine_chunks().take(pa.array(order))
    counts = np.diff(np.r_[starts, len(order)])
    by_key: dict[tuple[str, str], ReturnChanges] = {}
    # Each run is converted from its own slice: slicing one list of a million Python objects
    # per column afterwards touched every object twice (0.2 s more per million values).
    columns = {name: ordered.column(name).combine_chunks() for name in VALUE_COLUMNS}
    for start, count, key in zip(starts.tolist(), counts.tolist(),
                                 ordered_keys[starts].tolist(), strict=True):
        org = labels[0][key // (len(labels[1]) * len(labels[2]))]
        period = labels[1][(key // len(labels[2])) % len(labels[1])]
        change = labels[2][key % len(labels[2])]
        values = {name: column.slice(start, count).to_pylist()
                  for name, column in columns.items()}
        entry = by_key.setdefault((org, period), ReturnChanges(org, period))
        if change == "unchanged":
            entry.unchanged = count
        else:
            setattr(entry, change, values)
    return list(by_key.values())


def _encode(column: pa.ChunkedArray) -> tuple[np.ndarray, list[str]]:
    """Integer codes whose order follows the sorted labels, and the labels (months as text).

    Dates are encoded as day numbers: formatting a million dates would cost more than all
    the rest; only the few distinct months are formatted.
    """
    is_date = pa.types.is_date(column.type)
    values = column.cast(pa.int32()) if is_date else column
    encoded = values.combine_chunks().dictionary_encode()
    labels = encoded.dictionary.to_pylist()
    rank = np.argsort(np.argsort(np.array(labels, dtype=object)))
    ordered = sorted(labels)
    if is_date:
        ordered = [(EPOCH + timedelta(days=d)).strftime("%Y-%m") for d in ordered]
    return rank[encoded.indices.to_numpy()].astype(np.int64), ordered
