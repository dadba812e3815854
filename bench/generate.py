"""Synthetic alliances and return files for benchmarks and load tests (seeded, vectorised).

50 members × 200 measures × 100 months = 1,000,000 values, half proportions (numerator and
denominator) and half means (value only). The calendar never locks, so every month can be
submitted today.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

FIRST_PERIOD = "2016-01"


def write_config(directory: Path, *, members: int = 50, measures: int = 200) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    lines = [
        '[alliance]\ncode = "bench"\nname = "Benchmark alliance"\n',
        f'[calendar]\nfirst_period = "{FIRST_PERIOD}"\ndue_days_after_month_end = 20\n'
        "lock_days_after_due = 365000\n",
        '[[peer_groups]]\ncode = "all"\nname = "All members"\n',
    ]
    lines += [f'[[members]]\ncode = "M{i:03d}"\nname = "Member {i}"\ntype = "acute_trust"\n'
              'peer_groups = ["all"]\n' for i in range(members)]
    (directory / "alliance.toml").write_text("\n".join(lines))
    (directory / "measures.toml").write_text("\n".join(_measure(i) for i in range(measures)))
    return directory


def _measure(i: int) -> str:
    common = (f'[[measures]]\ncode = "m{i:03d}"\nname = "Measure {i}"\n'
              f'domain = "{("clinical_quality", "access", "cost", "engagement")[i % 4]}"\n'
              'definition = "Synthetic benchmark measure."\nsource = "bench/generate.py"\n')
    if i % 2 == 0:
        return common + ('kind = "proportion"\nunit = "%"\nimprovement = "increase"\n'
                         'numerator_label = "Met"\ndenominator_label = "Eligible"\n'
                         "valid_min = 0.0\nvalid_max = 1.0\n")
    return common + ('kind = "mean"\nunit = "days"\nimprovement = "decrease"\n'
                     "valid_min = 0.0\nvalid_max = 1000.0\n")


VALUES_SQL = """
COPY (
    WITH grid AS (
        SELECT m.i AS member, s.i AS measure, p.i AS month
        FROM range({members}) m(i), range({measures}) s(i), range({months}) p(i)
    ),
    final AS (
        SELECT printf('M%03d', member) AS org_code, printf('m%03d', measure) AS measure_code,
               strftime(DATE '{first}-01' + to_months(month), '%Y-%m') AS period,
               CASE WHEN measure % 2 = 1
                    THEN round(3 + (hash(member, measure, month, {seed}) % 5000) / 1000.0, 3)
               END AS value,
               CASE WHEN measure % 2 = 0
                    THEN 200 + hash(member, measure, month, {seed}) % 800 END AS denominator,
               '' AS comment
        FROM grid
    )
    SELECT org_code, measure_code, period, value,
           CASE WHEN denominator IS NOT NULL
                THEN denominator - hash(denominator, {seed}) % (denominator // 4) END AS numerator,
           denominator, comment
    FROM final
    ORDER BY hash(org_code, measure_code, period, {seed})
) TO '{path}' (HEADER, DELIMITER ',');
"""


def write_values_csv(path: Path, *, members: int = 50, measures: int = 200, months: int = 100,
                     seed: int = 7) -> int:
    """Write the values as one long-format CSV (shuffled rows); return the row count."""
    con = duckdb.connect()
    try:
        con.execute(VALUES_SQL.format(members=members, measures=measures, months=months,
                                      first=FIRST_PERIOD, seed=seed, path=path))
    finally:
        con.close()
    return members * measures * months
