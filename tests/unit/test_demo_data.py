"""The demo data: the real A&E load keeps the published totals, the synthetic rest is sane."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pytest

from concord.demo.long_format import LONG_SCHEMA, SYNTHETIC_COMMENT
from concord.demo.nhs_ae import (
    AE_MEASURES,
    DEMO_CSV,
    NO_ATTENDANCES,
    AeFileError,
    AeLoad,
    ae_summary,
    load_ae_returns,
)
from concord.demo.storylines import SYNTHETIC_STORYLINES, Storyline
from concord.demo.synthetic import synthetic_returns
from ingest.catalogue.model import Catalogue

# The published file's totals (shared/data/README.md) and what the capping rule implies.
RAW_ATTENDANCES = 72_019_402
RAW_BREACHES = 8_295_237
RAW_ADMISSIONS = 13_493_280
RTX_CAPPED_AWAY = 92 - 74  # 2018-10 RTX type 2: admissions capped at its attendances
HEADER = "period,org_code,type,attendances,breaches,admissions\n"


@pytest.fixture(scope="module")
def ae() -> AeLoad:
    return load_ae_returns(DEMO_CSV)


@pytest.fixture(scope="module")
def synthetic(demo_catalogue: Catalogue) -> pa.Table:
    return synthetic_returns(demo_catalogue)


def _sql(sql: str, params: list | None = None, **tables: pa.Table) -> list[tuple]:
    with duckdb.connect() as con:
        for name, table in tables.items():
            con.register(name, table)
        return con.execute(sql, params or []).fetchall()


def _measure(rows: pa.Table, code: str) -> pa.Table:
    return rows.filter(pc.equal(rows["measure_code"], code))


def _total(rows: pa.Table, code: str, column: str) -> float:
    return pc.sum(_measure(rows, code)[column]).as_py()


def test_raw_csv_holds_the_published_totals() -> None:
    raw = pacsv.read_csv(DEMO_CSV)
    assert raw.num_rows == 12_765
    assert pc.sum(raw["attendances"]).as_py() == RAW_ATTENDANCES
    assert pc.sum(raw["breaches"]).as_py() == RAW_BREACHES
    assert pc.sum(raw["admissions"]).as_py() == RAW_ADMISSIONS


def test_ae_totals_agree_with_the_raw_csv_after_the_documented_cap(ae: AeLoad) -> None:
    # Nothing with attendances is refused, so every attendance reaches the returns.
    assert _total(ae.rows, "ae_attendances", "value") == RAW_ATTENDANCES
    assert _total(ae.rows, "ae_4hr_performance", "denominator") == RAW_ATTENDANCES
    assert _total(ae.rows, "ae_4hr_performance", "numerator") == RAW_ATTENDANCES - RAW_BREACHES
    assert _total(ae.rows, "ae_admission_share", "denominator") == RAW_ATTENDANCES
    assert _total(ae.rows, "ae_admission_share", "numerator") == RAW_ADMISSIONS - RTX_CAPPED_AWAY


def test_ae_load_has_one_row_per_member_measure_and_month_held(ae: AeLoad) -> None:
    assert ae.rows.schema == LONG_SCHEMA
    assert ae.rows.num_rows == 3 * 8_298
    assert len(pc.unique(ae.rows["org_code"])) == 274
    assert set(pc.unique(ae.rows["measure_code"]).to_pylist()) == set(AE_MEASURES)
    duplicates = _sql("SELECT count(*) FROM r GROUP BY org_code, measure_code, period "
                      "HAVING count(*) > 1", r=ae.rows)
    assert duplicates == []


def test_impossible_rtx_row_is_capped_and_reported(ae: AeLoad) -> None:
    [note] = ae.notes("adjusted")
    assert (note.org_code, note.period, note.department_type) == ("RTX", "2018-10", "2")
    assert "92 reported, 74 kept" in note.what
    rtx = ae.rows.filter(pc.and_(pc.equal(ae.rows["org_code"], "RTX"),
                                 pc.equal(ae.rows["period"], "2018-10")))
    share = _measure(rtx, "ae_admission_share").to_pylist()[0]
    assert (share["numerator"], share["denominator"]) == (2242 + 74 + 202, 8161 + 74 + 1876)
    assert "capped admissions" in share["comment"]
    assert _measure(rtx, "ae_4hr_performance")["comment"].to_pylist() == [None]


def test_real_file_has_no_refusals_and_its_gaps_are_kept(ae: AeLoad) -> None:
    assert ae.notes("refused") == []
    assert (ae.gaps.members, ae.gaps.starting_late, ae.gaps.ending_early) == (84, 38, 48)
    assert (ae.gaps.missing_inside, ae.gaps.member_months_absent) == (8, 1_566)
    assert len(ae.notes("gap")) == 84
    assert 274 * 36 - ae.gaps.member_months_absent == 8_298  # no month filled in


def test_summary_states_every_departure(ae: AeLoad) -> None:
    summary = ae_summary(ae)
    assert f"refused 0 member-months: {NO_ATTENDANCES}" in summary
    assert "adjusted 1 department row" in summary and "RTX 2018-10 type 2" in summary
    assert "84 members have gaps" in summary and "none imputed" in summary


def test_zero_attendance_month_is_refused_and_impossible_breaches_capped(tmp_path: Path) -> None:
    csv = tmp_path / "ae.csv"
    csv.write_text(HEADER + "2016-04-01,AAA,1,0,0,0\n2016-04-01,AAA,other,0,0,0\n"
                   "2016-05-01,AAA,1,10,12,3\n2016-05-01,AAA,other,5,1,1\n")
    load = load_ae_returns(csv)
    [refused] = load.notes("refused")
    assert (refused.org_code, refused.period, refused.why) == ("AAA", "2016-04", NO_ATTENDANCES)
    april = load.rows.filter(pc.equal(load.rows["period"], "2016-04"))
    assert april["measure_code"].to_pylist() == ["ae_attendances"]
    assert april["value"].to_pylist() == [0.0]
    [capped] = load.notes("adjusted")
    assert (capped.period, capped.department_type) == ("2016-05", "1")
    may = _measure(load.rows, "ae_4hr_performance").to_pylist()[0]
    assert (may["numerator"], may["denominator"]) == (15 - 10 - 1, 15)


def test_unreadable_file_is_rejected_not_guessed(tmp_path: Path) -> None:
    csv = tmp_path / "ae.csv"
    csv.write_text(HEADER + "2016-04-01,AAA,1,10,,3\n")
    with pytest.raises(AeFileError, match="1 rows"):
        load_ae_returns(csv)


def test_ratio_rows_are_proportions_of_whole_counts(ae: AeLoad, synthetic: pa.Table,
                                                     demo_catalogue: Catalogue) -> None:
    kinds = pa.table({"measure_code": [m.code for m in demo_catalogue.measures],
                      "kind": [m.kind for m in demo_catalogue.measures]})
    bad = _sql(
        "SELECT r.* FROM r JOIN k USING (measure_code) "
        "WHERE k.kind IN ('proportion', 'rate', 'ratio') AND (r.value IS NOT NULL "
        "  OR r.denominator <= 0 OR r.numerator < 0 OR r.numerator <> round(r.numerator) "
        "  OR r.denominator <> round(r.denominator) "
        "  OR (k.kind = 'proportion' AND r.numerator > r.denominator))",
        r=pa.concat_tables([ae.rows, synthetic]), k=kinds,
    )
    assert bad == []


def test_synthetic_rows_cover_the_other_measures_for_trusts_only(
    synthetic: pa.Table, demo_catalogue: Catalogue
) -> None:
    trusts = {m.code for m in demo_catalogue.alliance.members
              if m.type in ("acute_trust", "specialist_trust")}
    measures = {m.code for m in demo_catalogue.measures} - set(AE_MEASURES)
    assert len(trusts) == 146 and len(measures) == 15
    assert synthetic.schema == LONG_SCHEMA
    assert synthetic.num_rows == 146 * 15 * 36
    assert set(pc.unique(synthetic["org_code"]).to_pylist()) == trusts
    assert set(pc.unique(synthetic["measure_code"]).to_pylist()) == measures
    periods = pc.unique(synthetic["period"]).to_pylist()
    assert (min(periods), max(periods), len(periods)) == ("2016-04", "2019-03", 36)
    assert pc.all(pc.equal(synthetic["comment"], SYNTHETIC_COMMENT)).as_py()


@pytest.mark.parametrize("measure_index", range(15))
def test_synthetic_values_respect_the_measure(
    synthetic: pa.Table, demo_catalogue: Catalogue, measure_index: int
) -> None:
    measure = [m for m in demo_catalogue.measures if m.code not in AE_MEASURES][measure_index]
    rows = _measure(synthetic, measure.code)
    if measure.is_ratio:
        assert rows["value"].null_count == rows.num_rows
        value = (pc.divide(rows["numerator"], rows["denominator"]).to_numpy()
                 * measure.multiplier)
    else:
        assert rows["numerator"].null_count == rows["denominator"].null_count == rows.num_rows
        value = rows["value"].to_numpy()
    assert not np.isnan(value).any()
    assert value.min() >= (measure.valid_min or 0.0)
    if measure.valid_max is not None:
        assert value.max() <= measure.valid_max
    if measure.kind == "count":
        assert np.array_equal(value, np.rint(value))


def test_synthetic_levels_are_realistic(synthetic: pa.Table, demo_catalogue: Catalogue) -> None:
    expected = {  # measure: (low, high) of the alliance-wide mean value
        "rtt_18wk_performance": (0.85, 0.92), "cancer_62day_performance": (0.76, 0.84),
        "diagnostic_6wk_wait": (0.01, 0.05), "emergency_readmissions_30d": (0.07, 0.09),
        "shmi": (0.95, 1.05), "c_difficile_rate": (1.2, 1.9), "patient_falls_rate": (5, 7),
        "pressure_ulcers": (5, 30), "cost_per_wau": (3_500, 4_200),
        "agency_spend_share": (0.03, 0.08), "length_of_stay_mean": (4, 6),
        "staff_engagement_score": (6.5, 7.3), "staff_turnover": (0.10, 0.15),
        "sickness_absence": (0.035, 0.05), "friends_family_positive": (0.88, 0.96),
    }
    for code, (low, high) in expected.items():
        rows = _measure(synthetic, code)
        multiplier = demo_catalogue.measure(code).multiplier
        value = pc.coalesce(rows["value"], pc.multiply(
            pc.divide(rows["numerator"], rows["denominator"]), multiplier))
        assert low <= pc.mean(value).as_py() <= high, code


def test_winter_pressure_shows_in_sickness_and_length_of_stay(synthetic: pa.Table) -> None:
    [(sick_winter, sick_summer, los_winter, los_summer)] = _sql(
        "SELECT avg(numerator / denominator) FILTER (sick AND m IN (12, 1, 2)),"
        "       avg(numerator / denominator) FILTER (sick AND m IN (6, 7, 8)),"
        "       avg(value) FILTER (NOT sick AND m IN (12, 1, 2)),"
        "       avg(value) FILTER (NOT sick AND m IN (6, 7, 8)) "
        "FROM (SELECT *, right(period, 2)::INT AS m, measure_code = 'sickness_absence' AS sick"
        "      FROM s WHERE measure_code IN ('sickness_absence', 'length_of_stay_mean'))",
        s=synthetic,
    )
    assert sick_winter > sick_summer + 0.004 and los_winter > los_summer + 0.3


def test_synthetic_returns_are_deterministic_for_a_seed(
    synthetic: pa.Table, demo_catalogue: Catalogue
) -> None:
    assert synthetic_returns(demo_catalogue).equals(synthetic)
    assert not synthetic_returns(demo_catalogue, seed=7).equals(synthetic)


def test_storylines_name_a_dozen_distinct_acute_trusts(demo_catalogue: Catalogue) -> None:
    assert len({s.member for s in SYNTHETIC_STORYLINES}) == len(SYNTHETIC_STORYLINES) == 12
    assert {s.direction for s in SYNTHETIC_STORYLINES} == {"improvement", "deterioration"}
    for story in SYNTHETIC_STORYLINES:
        assert demo_catalogue.member(story.member).type == "acute_trust"
        improvement = demo_catalogue.measure(story.measure).improvement
        rises = story.size > 0
        assert (story.direction == "improvement") == (rises == (improvement == "increase"))


@pytest.mark.parametrize("story", SYNTHETIC_STORYLINES, ids=lambda s: f"{s.member}-{s.measure}")
def test_storyline_is_visible_as_a_sustained_step(
    synthetic: pa.Table, demo_catalogue: Catalogue, story: Storyline
) -> None:
    multiplier = demo_catalogue.measure(story.measure).multiplier
    [(before, after)] = _sql(
        "SELECT avg(v) FILTER (period < $1), avg(v) FILTER (period >= $1) "
        "FROM (SELECT period, coalesce(value, numerator / denominator * $2) AS v "
        "      FROM s WHERE org_code = $3 AND measure_code = $4)",
        [story.from_period, multiplier, story.member, story.measure], s=synthetic,
    )
    assert np.sign(after - before) == np.sign(story.size)
    assert abs(after - before) >= 0.5 * abs(story.size)


def test_synthetic_rows_honour_a_measures_applies_to(demo_catalogue: Catalogue) -> None:
    narrowed = tuple(replace(m, applies_to=("specialist_trust",)) if m.code == "shmi" else m
                     for m in demo_catalogue.measures)
    rows = synthetic_returns(replace(demo_catalogue, measures=narrowed))
    shmi_members = set(pc.unique(_measure(rows, "shmi")["org_code"]).to_pylist())
    assert shmi_members == {m.code for m in demo_catalogue.alliance.members
                            if m.type == "specialist_trust"}
    assert rows.num_rows == 146 * 36 * 14 + 6 * 36
