"""Plausible corrections for the demo timeline: a few synthetic values restated with a reason.

Only synthetic rows are ever restated: the real NHS A&E values stay exactly as published.
A restatement moves a value by a few per cent (at least one whole unit for counts), keeps it
in the measure's valid range and keeps a proportion's numerator within its denominator.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from concord.demo.long_format import SYNTHETIC_COMMENT, to_long
from ingest.catalogue.model import Catalogue

# Why a member would send a figure again, by the domain of the measures it corrects.
REASONS = {
    "access": ("late-arriving activity data", "waiting-list validation removed duplicates"),
    "clinical_quality": ("coding correction after clinical audit",
                         "corrected after clinical governance review"),
    "cost": ("finance ledger reconciled after month-end close",),
    "engagement": ("late-arriving workforce data from the staff record",),
}


@dataclass(frozen=True)
class Restatement:
    """One member's correction of 1-3 values of one period, in one domain."""

    org_code: str
    period: str
    reason: str
    rows: pa.Table  # LONG_SCHEMA: only the changed rows, with their new values


def choose_restatement(
    catalogue: Catalogue, original: pa.Table, rng: np.random.Generator
) -> Restatement | None:
    """Restate 1-3 synthetic values of one domain in ``original`` (one member's period rows).

    ``None`` when the member sent no synthetic rows that period (nothing may be restated).
    """
    synthetic = original.filter(pc.equal(original["comment"], SYNTHETIC_COMMENT))
    if synthetic.num_rows == 0:
        return None
    domains = {m.code: m.domain for m in catalogue.measures}
    row_domains = np.array([domains[c] for c in synthetic["measure_code"].to_pylist()])
    domain = rng.choice(sorted(set(row_domains.tolist())))
    candidates = np.flatnonzero(row_domains == domain)
    picked = rng.choice(candidates, size=min(len(candidates), rng.integers(1, 4)), replace=False)
    reason = str(rng.choice(REASONS.get(str(domain), ("data quality review",))))
    chosen = synthetic.take(np.sort(picked))
    return Restatement(
        org_code=chosen["org_code"][0].as_py(),
        period=chosen["period"][0].as_py(),
        reason=reason,
        rows=_moved(catalogue, chosen, reason, rng),
    )


def _moved(
    catalogue: Catalogue, rows: pa.Table, reason: str, rng: np.random.Generator
) -> pa.Table:
    """New values for ``rows``: ratio kinds move the numerator, the rest move the value."""
    measures = [catalogue.measure(c) for c in rows["measure_code"].to_pylist()]
    kinds = np.array([m.kind if m else "" for m in measures])
    low = np.array([m.valid_min if m and m.valid_min is not None else 0.0 for m in measures])
    high = np.array([m.valid_max if m and m.valid_max is not None else np.inf for m in measures])
    ratio = np.isin(kinds, ("proportion", "rate", "ratio"))
    # The valid range bounds the value; for ratio kinds that bounds the numerator at
    # range x denominator / multiplier (so a proportion's numerator stays within its denominator).
    per_value = np.where(ratio, np.nan_to_num(rows["denominator"].to_numpy(zero_copy_only=False))
                         / np.array([m.multiplier if m else 1.0 for m in measures]), 1.0)
    old = np.where(ratio, rows["numerator"].to_numpy(zero_copy_only=False),
                   rows["value"].to_numpy(zero_copy_only=False))
    share = rng.choice((-1.0, 1.0), size=len(old)) * rng.uniform(0.02, 0.08, size=len(old))
    new = _nudged(old, share, kinds, low * per_value, high * per_value)
    return to_long(rows.set_column(
        rows.schema.get_field_index("numerator"), "numerator",
        pa.array(np.where(ratio, new, np.nan), from_pandas=True),
    ).set_column(
        rows.schema.get_field_index("value"), "value",
        pa.array(np.where(ratio, np.nan, new), from_pandas=True),
    ).set_column(
        rows.schema.get_field_index("comment"), "comment",
        pa.repeat(f"{SYNTHETIC_COMMENT}; restated: {reason}", rows.num_rows),
    ))


def _nudged(
    old: np.ndarray, share: np.ndarray, kinds: np.ndarray, low: np.ndarray, high: np.ndarray
) -> np.ndarray:
    """``old`` moved by ``share``, rounded as the kind is reported, always actually changed."""
    whole = ~np.isin(kinds, ("mean", "score"))  # counts, money and ratio numerators
    unit = np.where(kinds == "score", 0.1, np.where(kinds == "mean", 0.01, 1.0))
    raw = old * (1 + share)
    step = np.where(whole, np.rint(raw - old), np.round((raw - old) / unit) * unit)
    step = np.where(np.abs(step) < unit, np.sign(share) * unit, step)
    low, high = np.where(whole, np.ceil(low), low), np.where(whole, np.floor(high), high)
    new = np.clip(old + step, low, high)
    # Clipped back onto the old value: move the other way instead.
    return np.where(new == old, np.clip(old - step, low, high), np.round(new, 2))
