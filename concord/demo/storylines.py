"""The deliberate step changes hidden in the synthetic demo data, so there is something to find.

Each storyline shifts one member's underlying level of one measure by ``size`` (in the
measure's value units: a fraction for proportions, per 10,000 or per 1,000 bed days for the
rates, days for length of stay, ulcers for the count) from ``from_period`` to the end of the
demo. Noise and seasonality still apply on top, as they would in real data. Storylines avoid
the rolling 12-month and annual measures, where a step would show as a ramp or a yearly jump.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["improvement", "deterioration"]


@dataclass(frozen=True)
class Storyline:
    """A sustained change a dashboard or an SPC chart should reveal."""

    member: str
    measure: str
    from_period: str  # 'YYYY-MM', the first month at the new level
    direction: Direction
    size: float  # signed change of the measure's value
    story: str


SYNTHETIC_STORYLINES: tuple[Storyline, ...] = (
    Storyline("RXH", "agency_spend_share", "2017-10", "improvement", -0.03,
              "agency cap and a staff bank cut agency spend by three points of the pay bill"),
    Storyline("RTH", "rtt_18wk_performance", "2017-07", "improvement", 0.05,
              "validation of the waiting list and extra theatre sessions"),
    Storyline("RWE", "c_difficile_rate", "2017-04", "improvement", -0.8,
              "antimicrobial stewardship programme"),
    Storyline("RM1", "patient_falls_rate", "2018-01", "improvement", -1.5,
              "falls prevention bundle on the elderly care wards"),
    Storyline("RK9", "friends_family_positive", "2017-01", "improvement", 0.04,
              "new emergency department building opened"),
    Storyline("RBN", "sickness_absence", "2018-04", "improvement", -0.012,
              "musculoskeletal fast-track service for staff"),
    Storyline("RVJ", "emergency_readmissions_30d", "2017-09", "deterioration", 0.02,
              "community rapid-response team decommissioned"),
    Storyline("RQ8", "diagnostic_6wk_wait", "2018-02", "deterioration", 0.05,
              "MRI scanner out of service, then a backlog"),
    Storyline("RN5", "cancer_62day_performance", "2017-11", "deterioration", -0.10,
              "urology consultant vacancies"),
    Storyline("RJE", "length_of_stay_mean", "2017-06", "deterioration", 1.0,
              "delayed transfers of care after a care-home closure"),
    Storyline("RCB", "pressure_ulcers", "2018-06", "deterioration", 12.0,
              "tissue viability nurse posts left vacant"),
    Storyline("RWD", "agency_spend_share", "2018-01", "deterioration", 0.03,
              "nursing vacancies covered by agency staff"),
)
