"""Invented monthly returns for every catalogue measure the real A&E data does not cover.

SYNTHETIC, and labelled so: every row's comment says "synthetic demo value". The values give
the demo something to show in the other three domains (realistic levels, winter pressure,
member size, a handful of ``SYNTHETIC_STORYLINES``); they describe no real organisation.
Acute and specialist trusts get them (those of the two a measure ``applies_to``), for the 36
demo months, deterministically per seed.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from concord.demo.long_format import DEFAULT_SEED, LONG_SCHEMA, SYNTHETIC_COMMENT, to_long
from concord.demo.nhs_ae import AE_MEASURES
from concord.demo.storylines import SYNTHETIC_STORYLINES, Storyline
from concord.demo.synthetic_frame import DEMO_MONTHS, Frame, build_frame
from concord.demo.synthetic_recipes import RECIPES, Draw
from ingest.catalogue.model import Catalogue, Measure


class SyntheticRecipeMissing(ValueError):
    """The catalogue has a measure the demo can neither load nor invent; say which."""


def synthetic_measures(catalogue: Catalogue) -> list[Measure]:
    """The catalogue measures the demo invents: all but the A&E ones, in catalogue order."""
    wanted = [m for m in catalogue.measures if m.code not in AE_MEASURES]
    missing = [m.code for m in wanted if m.code not in RECIPES]
    if missing:
        raise SyntheticRecipeMissing(f"no synthetic recipe for measures: {', '.join(missing)}")
    return wanted


def synthetic_returns(
    catalogue: Catalogue,
    seed: int = DEFAULT_SEED,
    storylines: tuple[Storyline, ...] = SYNTHETIC_STORYLINES,
) -> pa.Table:
    """Long-format synthetic returns (``LONG_SCHEMA``), sorted by member, measure and period.

    One vectorised draw per measure over the whole member-by-month grid; the same catalogue
    and seed always give the same table.
    """
    frame = build_frame(catalogue, seed)
    tables = [
        _long_table(frame, m, RECIPES[m.code](frame, _steps(frame, m, storylines)))
        for m in synthetic_measures(catalogue)
    ]
    if not tables:
        return LONG_SCHEMA.empty_table()
    return pa.concat_tables(tables).sort_by(
        [("org_code", "ascending"), ("measure_code", "ascending"), ("period", "ascending")]
    )


def _steps(frame: Frame, measure: Measure, storylines: tuple[Storyline, ...]) -> np.ndarray:
    """The storyline shifts for one measure on the full grid (history columns included)."""
    steps = np.zeros(frame.shape)
    members = {code: i for i, code in enumerate(frame.members.tolist())}
    periods = frame.periods.tolist()
    history = frame.shape[1] - DEMO_MONTHS
    for story in (s for s in storylines if s.measure == measure.code):
        if story.member not in members or story.from_period not in periods:
            raise ValueError(f"storyline outside the synthetic grid: {story}")
        steps[members[story.member], history + periods.index(story.from_period):] += story.size
    return steps


def _long_table(frame: Frame, measure: Measure, draw: Draw) -> pa.Table:
    """The demo months of one measure as long rows, values clipped to the measure's range."""
    demo = slice(frame.shape[1] - DEMO_MONTHS, None)
    n_members = frame.shape[0]

    def column(grid: np.ndarray | None) -> pa.Array:
        if grid is None:
            return pa.nulls(n_members * DEMO_MONTHS, pa.float64())
        return pa.array(np.asarray(grid, dtype=float)[:, demo].ravel())

    value = draw.value
    if value is not None:
        low = -np.inf if measure.valid_min is None else measure.valid_min
        high = np.inf if measure.valid_max is None else measure.valid_max
        value = np.clip(value, low, high)
    table = pa.table({
        "org_code": np.repeat(frame.members, DEMO_MONTHS),
        "measure_code": pa.repeat(measure.code, n_members * DEMO_MONTHS),
        "period": np.tile(frame.periods, n_members),
        "value": column(value),
        "numerator": column(draw.numerator),
        "denominator": column(draw.denominator),
        "comment": pa.repeat(SYNTHETIC_COMMENT, n_members * DEMO_MONTHS),
    })
    # Only members the catalogue expects this measure from (``applies_to``) report it.
    expected = np.isin(frame.member_types, measure.applies_to) | (not measure.applies_to)
    return to_long(table.filter(pa.array(np.repeat(expected, DEMO_MONTHS))))
