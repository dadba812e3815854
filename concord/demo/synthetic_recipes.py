"""How each synthetic measure is drawn: a plausible level per member, trend, winter and noise.

Levels follow published NHS England figures for 2016-2019 in rough terms only; they are for a
demo, not for analysis. Each recipe takes the grid and a ``step`` array (storyline shifts in
the measure's value units), adds the step to the underlying level, then draws integer counts,
so numerator and denominator always agree and a proportion's numerator never exceeds its
denominator. Winter (Dec-Feb) means worse access, more sickness and longer stays.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from concord.demo.synthetic_frame import Frame


class Draw(NamedTuple):
    """One measure on the grid: ``value`` for plain kinds, numerator/denominator for ratios."""

    value: np.ndarray | None = None
    numerator: np.ndarray | None = None
    denominator: np.ndarray | None = None


Recipe = Callable[[Frame, np.ndarray], Draw]


def _proportion(frame: Frame, code: str, denominator: np.ndarray, level: np.ndarray) -> Draw:
    """Binomial numerator: a whole number of patients, never more than the denominator."""
    p = np.clip(level, 0.0005, 0.9995)
    return Draw(numerator=frame.rng(code + ":n").binomial(denominator.astype(np.int64), p),
                denominator=denominator)


def _bed_day_rate(frame: Frame, code: str, level: np.ndarray, per: float) -> Draw:
    """Poisson events at ``level`` per ``per`` occupied bed days."""
    lam = np.maximum(level, 0.05) * frame.bed_days / per
    return Draw(numerator=frame.rng(code + ":n").poisson(lam), denominator=frame.bed_days)


def _rolling_12(monthly: np.ndarray) -> np.ndarray:
    """Sum over the 12 months ending in each month (NaN-free: the grid has 11 months of history)."""
    totals = np.cumsum(monthly, axis=1)
    padded = np.concatenate([np.zeros((monthly.shape[0], 1)), totals], axis=1)
    rolled = np.full(monthly.shape, np.nan)
    rolled[:, 11:] = padded[:, 12:] - padded[:, :-12]
    return rolled


def rtt_18wk(f: Frame, step: np.ndarray) -> Draw:
    pathways = np.rint(30_000 * f.scale * (1 + 0.03 * f.years) * f.noise("rtt:d", 0.02))
    level = (f.member_draw("rtt", 0.905, 0.025) - 0.012 * f.years - 0.012 * f.winter
             + f.rng("rtt:e").normal(0, 0.004, f.shape) + step)
    return _proportion(f, "rtt", pathways, np.clip(level, 0.5, 0.99))


def cancer_62day(f: Frame, step: np.ndarray) -> Draw:
    treated = np.maximum(f.rng("cancer:d").poisson(150 * f.scale * np.ones(f.shape)), 1)
    level = f.member_draw("cancer", 0.82, 0.04) - 0.01 * f.years - 0.02 * f.winter + step
    return _proportion(f, "cancer", treated, np.clip(level, 0.3, 0.99))


def diagnostic_6wk(f: Frame, step: np.ndarray) -> Draw:
    waiting = np.rint(9_000 * f.scale * f.noise("diag:d", 0.03))
    base = np.exp(f.member_draw("diag", np.log(0.02), 0.4))
    level = base * (1 + 0.4 * f.winter) * f.noise("diag:e", 0.1) + 0.003 * f.years + step
    return _proportion(f, "diag", waiting, np.clip(level, 0.001, 0.5))


def readmissions_30d(f: Frame, step: np.ndarray) -> Draw:
    discharges = np.rint(7_000 * f.scale * (1 + 0.04 * f.winter) * f.noise("readm:d", 0.03))
    level = f.member_draw("readm", 0.08, 0.006) + 0.002 * f.years + step
    return _proportion(f, "readm", discharges, np.clip(level, 0.02, 0.3))


def shmi(f: Frame, step: np.ndarray) -> Draw:
    """Rolling 12 months, as published: observed deaths over the risk model's expected deaths."""
    expected = 150 * f.scale * (1 + 0.2 * f.winter) * f.noise("shmi:d", 0.03)
    ratio = np.clip(f.member_draw("shmi", 1.0, 0.07), 0.8, 1.2) + step
    observed = f.rng("shmi:n").poisson(expected * np.maximum(ratio, 0.3))
    return Draw(numerator=_rolling_12(observed), denominator=np.rint(_rolling_12(expected)))


def c_difficile(f: Frame, step: np.ndarray) -> Draw:
    per_10k = np.exp(f.member_draw("cdiff", np.log(1.5), 0.25)) + step
    return _bed_day_rate(f, "cdiff", per_10k, 10_000)


def pressure_ulcers(f: Frame, step: np.ndarray) -> Draw:
    base = 16 * f.scale**0.7 * np.exp(f.member_draw("pu", 0.0, 0.3))
    lam = np.maximum(base * (1 + 0.15 * f.winter) + step, 0.5)
    return Draw(value=f.rng("pu:v").poisson(lam).astype(float))


def falls(f: Frame, step: np.ndarray) -> Draw:
    per_1k = f.member_draw("falls", 6.0, 0.5) + 0.3 * f.winter + step
    return _bed_day_rate(f, "falls", per_1k, 1_000)


def cost_per_wau(f: Frame, step: np.ndarray) -> Draw:
    """Annual (one figure per financial year), 2% cost inflation a year, whole pounds."""
    yearly = f.rng("wau:y").normal(0, 40, size=(f.shape[0], 6))  # fiscal years -1 .. 4
    level = (f.member_draw("wau", 3_850, 160) * 1.02 ** f.fiscal_year
             + np.take_along_axis(yearly, np.broadcast_to(f.fiscal_year + 1, f.shape), axis=1))
    return Draw(value=np.rint(np.clip(level + step, 3_000, 5_000)))


def agency_share(f: Frame, step: np.ndarray) -> Draw:
    """Pounds of agency spend over pounds of pay bill, both whole pounds."""
    pay_bill = np.rint(26e6 * f.scale * (1 + 0.01 * f.years) * f.noise("agency:d", 0.01))
    level = (f.rng("agency").uniform(0.03, 0.08, size=(f.shape[0], 1)) - 0.004 * f.years
             + 0.008 * f.winter + f.rng("agency:e").normal(0, 0.003, f.shape) + step)
    return Draw(numerator=np.rint(pay_bill * np.clip(level, 0.003, 0.3)), denominator=pay_bill)


def length_of_stay(f: Frame, step: np.ndarray) -> Draw:
    level = (f.member_draw("los", 4.9, 0.4) + 0.5 * f.winter - 0.05 * f.years
             + f.rng("los:e").normal(0, 0.12, f.shape) + step)
    return Draw(value=np.round(np.clip(level, 1.0, 30.0), 2))


def staff_engagement(f: Frame, step: np.ndarray) -> Draw:
    """Annual survey: results published each March, then submitted every month until the next."""
    survey_year = (f.fiscal_year + (f.month_of_year == 3)) + 1  # March shows the new survey
    yearly = f.rng("engage:y").normal(0, 0.06, size=(f.shape[0], 7))
    level = (f.member_draw("engage", 6.9, 0.18) + 0.05 * survey_year
             + np.take_along_axis(yearly, np.broadcast_to(survey_year, f.shape), axis=1))
    return Draw(value=np.round(np.clip(level + step, 0.0, 10.0), 1))


def staff_turnover(f: Frame, step: np.ndarray) -> Draw:
    """Rolling 12 months: leavers over the average staff in post, as NHS Digital publishes."""
    annual = np.clip(f.member_draw("turnover", 0.125, 0.012) + step, 0.05, 0.3)
    leavers = f.rng("turnover:n").poisson(f.staff * annual / 12)
    return Draw(numerator=_rolling_12(leavers), denominator=np.rint(_rolling_12(f.staff) / 12))


def sickness(f: Frame, step: np.ndarray) -> Draw:
    """FTE days lost over FTE days available (staff in post at 0.85 FTE, every calendar day)."""
    available = np.rint(f.staff * 0.85 * f.days_in_month)
    level = (f.member_draw("sick", 0.041, 0.004) + 0.007 * f.winter
             + f.rng("sick:e").normal(0, 0.0015, f.shape) + step)
    return Draw(numerator=np.rint(available * np.clip(level, 0.01, 0.15)), denominator=available)


def friends_family(f: Frame, step: np.ndarray) -> Draw:
    responses = np.maximum(f.rng("fft:d").poisson(1_800 * f.scale * np.ones(f.shape)), 30)
    level = f.member_draw("fft", 0.925, 0.02) - 0.01 * f.winter + step
    return _proportion(f, "fft", responses, np.clip(level, 0.5, 0.99))


RECIPES: dict[str, Recipe] = {
    "rtt_18wk_performance": rtt_18wk,
    "cancer_62day_performance": cancer_62day,
    "diagnostic_6wk_wait": diagnostic_6wk,
    "emergency_readmissions_30d": readmissions_30d,
    "shmi": shmi,
    "c_difficile_rate": c_difficile,
    "pressure_ulcers": pressure_ulcers,
    "patient_falls_rate": falls,
    "cost_per_wau": cost_per_wau,
    "agency_spend_share": agency_share,
    "length_of_stay_mean": length_of_stay,
    "staff_engagement_score": staff_engagement,
    "staff_turnover": staff_turnover,
    "sickness_absence": sickness,
    "friends_family_positive": friends_family,
}
