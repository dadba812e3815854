"""The member-by-month grid the synthetic demo values are drawn on, and the shared quantities.

Every synthetic measure is an array of shape (members, months). The grid starts 11 months
before the first demo period, so rolling 12-month measures (SHMI, turnover) are full windows
from the first month shown; ``DEMO_MONTHS`` are the last columns.
Bed days and staff numbers live here because several measures must agree on them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, replace

import numpy as np

from ingest.catalogue.model import Catalogue

SYNTHETIC_MEMBER_TYPES = ("acute_trust", "specialist_trust")
DEMO_MONTHS = 36  # 2016-04 .. 2019-03 with the demo calendar
HISTORY_MONTHS = 11  # extra months so a rolling 12-month window is full from the start
# Size from the A&E volume peer group; specialist trusts are smaller than an acute trust of
# the same A&E band because their A&E is a small part of a narrower service.
BAND_SCALE = {"large": 1.0, "medium": 0.65, "small": 0.4}
TYPE_SCALE = {"acute_trust": 1.0, "specialist_trust": 0.8}


@dataclass(frozen=True)
class Frame:
    """The grid: members down, months across (history first), plus shared drivers."""

    seed: int
    periods: np.ndarray  # (DEMO_MONTHS,) 'YYYY-MM' labels of the demo months
    members: np.ndarray  # (M,) org codes
    member_types: np.ndarray  # (M,) member types, to honour each measure's ``applies_to``
    scale: np.ndarray  # (M, 1) relative size, ~0.3 .. 1.2
    years: np.ndarray  # (1, H) years since the first demo period (negative in history)
    month_of_year: np.ndarray  # (1, H) 1..12
    fiscal_year: np.ndarray  # (1, H) 0 for the first demo financial year, -1 before
    winter: np.ndarray  # (1, H) 1 for Dec-Feb, 0.5 for Nov and Mar: winter pressure
    days_in_month: np.ndarray  # (1, H)
    bed_days: np.ndarray  # (M, H) occupied bed days, shared by the bed-day rates
    staff: np.ndarray  # (M, H) staff in post (headcount), shared by workforce measures

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.members), self.years.shape[1])

    def rng(self, purpose: str) -> np.random.Generator:
        """A generator for one purpose: adding a measure never changes another's values."""
        return np.random.default_rng([self.seed, zlib.crc32(purpose.encode())])

    def member_draw(self, purpose: str, mean: float, sd: float) -> np.ndarray:
        """One normal draw per member, shaped (M, 1) so it broadcasts across months."""
        return self.rng(purpose).normal(mean, sd, size=(len(self.members), 1))

    def noise(self, purpose: str, sd: float) -> np.ndarray:
        """Month-to-month multiplicative noise around 1, never below 0.5."""
        return np.maximum(0.5, self.rng(purpose).normal(1.0, sd, size=self.shape))


def build_frame(catalogue: Catalogue, seed: int) -> Frame:
    """The grid for the synthetic members of ``catalogue``, in catalogue order."""
    members = [m for m in catalogue.alliance.members if m.type in SYNTHETIC_MEMBER_TYPES]
    bands = [next((g for g in m.peer_groups if g in BAND_SCALE), "medium") for m in members]
    base = np.array([BAND_SCALE[b] * TYPE_SCALE[m.type] for m, b in zip(members, bands,
                                                                       strict=True)])
    jitter = np.random.default_rng([seed, 0]).lognormal(0.0, 0.12, len(members))
    scale = (base * np.clip(jitter, 0.75, 1.3))[:, None]
    months = _month_axis(catalogue.alliance.calendar.first_period)
    frame = Frame(
        seed=seed,
        periods=np.datetime_as_string(months[HISTORY_MONTHS:], unit="M"),
        members=np.array([m.code for m in members]),
        member_types=np.array([m.type for m in members]),
        scale=scale,
        years=((months - months[HISTORY_MONTHS]).astype(int) / 12.0)[None, :],
        month_of_year=(months.astype(int) % 12 + 1)[None, :],
        fiscal_year=_fiscal_year(months, months[HISTORY_MONTHS])[None, :],
        winter=_winter(months.astype(int) % 12 + 1)[None, :],
        days_in_month=((months + 1).astype("datetime64[D]")
                       - months.astype("datetime64[D]")).astype(int)[None, :],
        bed_days=np.zeros((len(members), len(months))),
        staff=np.zeros((len(members), len(months))),
    )
    return _with_shared_drivers(frame)


def _month_axis(first_period: str) -> np.ndarray:
    first = np.datetime64(first_period, "M")
    return first - HISTORY_MONTHS + np.arange(HISTORY_MONTHS + DEMO_MONTHS)


def _fiscal_year(months: np.ndarray, first_demo: np.datetime64) -> np.ndarray:
    """NHS financial years start in April; 0 is the year holding the first demo month."""
    shifted = (months - 3).astype("datetime64[Y]").astype(int)
    return shifted - (first_demo - 3).astype("datetime64[Y]").astype(int)


def _winter(month_of_year: np.ndarray) -> np.ndarray:
    return np.select([np.isin(month_of_year, (12, 1, 2)), np.isin(month_of_year, (11, 3))],
                     [1.0, 0.5], 0.0)


def _with_shared_drivers(frame: Frame) -> Frame:
    """Bed days (~32k a month for a large acute trust, more in winter) and staff in post."""
    bed_days = np.rint(32_000 * frame.scale * (1 + 0.06 * frame.winter)
                       * (frame.days_in_month / 30.4) * frame.noise("bed_days", 0.02))
    staff = np.rint(6_500 * frame.scale * (1 + 0.015 * frame.years)
                    * frame.noise("staff", 0.004))
    return replace(frame, bed_days=bed_days, staff=staff)
