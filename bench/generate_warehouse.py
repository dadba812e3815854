"""A read-side benchmark warehouse built directly with DuckDB SQL (not through the log).

50 members × 200 measures × 100 months × 10 versions = 10,000,000 value versions, with the
catalogue, return events, sign-offs, current values and the event index a projected warehouse
would hold, so every read path (visibility, as-of, catalogue at a position) works on it.

Each return (member × month) gets five versions inside its submission window and a sign-off
after them, then five monthly refreshes, each signed off one to fourteen days later; one return
in five hundred never gets its last refresh signed off, so the shared view must fall back to
the version before it. Positions follow recorded time and rows are written in position order,
as the projections append them. The catalogue changes once, half-way (targets, thresholds).

    .venv/bin/python bench/generate_warehouse.py [--path var/bench/analytics.duckdb]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

DEFAULT_PATH = REPO / "var" / "bench" / "analytics.duckdb"
FIRST_PERIOD = "2016-01-01"
IN_WINDOW_VERSIONS = 5
STUCK_ONE_IN = 500
KINDS = ("proportion", "rate", "ratio", "mean", "count", "currency", "score")
IMPROVEMENTS = ("increase", "decrease", "neutral")

DIMENSIONS_SQL = """
CREATE TEMP TABLE gen_members AS
SELECT i AS member, printf('M%03d', i) AS org_code FROM range({members}) t(i);

CREATE TEMP TABLE gen_measures AS
SELECT i AS measure, printf('m%03d', i) AS measure_code,
       {kinds}[1 + i % 7] AS kind,
       {improvements}[1 + (i // 7) % 3] AS improvement
FROM range({measures}) t(i);

CREATE TEMP TABLE gen_returns AS
SELECT m.member, m.org_code, p.i AS month,
       CAST(DATE '{first}' + to_months(p.i) AS DATE) AS period,
       CAST(md5('bench-return-' || m.org_code || '-' || p.i) AS UUID) AS return_id
FROM gen_members AS m, range({months}) p(i);
"""

# Every return's events in time order: value versions 1..n, sign-offs after version 5 and
# after each later restatement (bar the last one for one return in twenty).
EVENTS_SQL = """
CREATE TEMP TABLE gen_return_events AS
WITH value_events AS (
    SELECT r.*, v.i AS value_version,
           CASE WHEN v.i <= {in_window}
                THEN to_days(1 + r.member % 5 + 2 * (v.i - 1))
                ELSE to_months(v.i - {in_window}) + to_days(1 + r.member % 5)
           END AS delay
    FROM gen_returns AS r, range(1, {versions} + 1) v(i)
),
sign_offs AS (
    SELECT * REPLACE (delay + CASE WHEN value_version = {in_window} THEN INTERVAL 1 DAY
                                   ELSE to_days(1 + CAST(hash(member, month, value_version)
                                                         % 14 AS INTEGER)) END AS delay)
    FROM value_events
    WHERE value_version >= least({in_window}, {versions})
      AND NOT (value_version = {versions} AND value_version > {in_window}
               AND hash(member, month, 'stuck') % {stuck} = 0)
),
timed AS (
    SELECT *, 'value' AS kind FROM value_events
    UNION ALL
    SELECT *, 'sign_off' AS kind FROM sign_offs
)
SELECT t.*,
       TIMESTAMPTZ '{first} 08:00:00+00' + to_months(t.month + 1) + t.delay
           + to_minutes(t.member) AS recorded_at,
       CAST(row_number() OVER (PARTITION BY t.return_id ORDER BY t.value_version, t.kind DESC)
            AS INTEGER) AS version
FROM timed AS t;

-- Positions follow recorded time; the catalogue comes first and changes once, half-way.
CREATE TEMP TABLE gen_log AS
WITH entries AS (
    SELECT recorded_at, return_id, version, kind, org_code, member, month
    FROM gen_return_events
    UNION ALL
    SELECT TIMESTAMPTZ '{first} 00:00:00+00' - INTERVAL 1 MONTH, NULL, 1, 'catalogue',
           NULL, -1, -1
    UNION ALL
    SELECT TIMESTAMPTZ '{first} 00:00:00+00' + to_months({months} // 2 + 1) + INTERVAL 25 DAY,
           NULL, 2, 'catalogue', NULL, -1, -1
)
SELECT row_number() OVER (ORDER BY recorded_at, member, month, version) AS position, *
FROM entries;
"""

CATALOGUE_SQL = """
INSERT INTO catalogue_versions
SELECT position, version, recorded_at, 'bench', md5('catalogue' || version), 'bench',
       'bench', 'Benchmark alliance', 5, DATE '{first}', 20, 365000, '{{}}'
FROM gen_log WHERE kind = 'catalogue';

INSERT INTO peer_group_versions
SELECT l.position, g.code, g.name, 'Synthetic peer group'
FROM gen_log AS l,
     (VALUES ('all', 'All members'), ('large', 'Large trusts'), ('small', 'Small trusts'))
         AS g(code, name)
WHERE l.kind = 'catalogue';

INSERT INTO member_versions
SELECT l.position, m.org_code, 'Member ' || m.member,
       CASE WHEN m.member % 10 = 9 THEN 'specialist_trust' ELSE 'acute_trust' END,
       ['all', CASE WHEN m.member % 2 = 0 THEN 'large' ELSE 'small' END], m.member
FROM gen_log AS l, gen_members AS m WHERE l.kind = 'catalogue';

-- Targets and thresholds change with the second catalogue version, so "as of" must pick
-- the catalogue in force at the position it reads.
INSERT INTO measure_versions
SELECT l.position, s.measure_code, 'Measure ' || s.measure, 'synthetic', s.kind,
       CASE s.kind WHEN 'proportion' THEN '%' WHEN 'rate' THEN 'per 1,000'
                   WHEN 'ratio' THEN 'ratio' ELSE 'units' END,
       s.improvement, 0.0, NULL,
       CASE WHEN s.kind IN ('proportion', 'rate', 'ratio') THEN 'Numerator' END,
       CASE WHEN s.kind IN ('proportion', 'rate', 'ratio') THEN 'Denominator' END,
       CASE s.kind WHEN 'rate' THEN 1000.0 ELSE 1.0 END,
       CASE WHEN s.measure % 3 = 0 THEN
           CASE s.kind WHEN 'proportion' THEN 0.55 WHEN 'rate' THEN 30.0 WHEN 'ratio' THEN 1.0
                       ELSE 100.0 END * (1 + 0.02 * l.version)
       END,
       CASE WHEN s.kind IN ('proportion', 'rate', 'ratio') AND s.measure % 2 = 0
            THEN 20 + 10 * l.version END,
       'Synthetic benchmark measure.', 'bench/generate_warehouse.py', s.measure, []
FROM gen_log AS l, gen_measures AS s WHERE l.kind = 'catalogue';
"""

# Levels drift and step per series so SPC charts show every kind of signal; one value in fifty
# of the ratio kinds has a small denominator, to be suppressed.
VALUES_SQL = """
INSERT INTO value_versions
WITH events AS (
    SELECT l.position, e.return_id, e.version, e.org_code, e.member, e.month, e.period,
           e.value_version, e.recorded_at
    FROM gen_return_events AS e JOIN gen_log AS l USING (return_id, version)
    WHERE e.kind = 'value'
),
shaped AS (
    SELECT e.*, s.measure_code, s.kind,
           0.5 + (hash(e.member, s.measure) % 1000) / 2500.0
               + (CAST(hash(e.member, s.measure, 'slope') % 21 AS INTEGER) - 10)
                 * 0.0003 * e.month
               + CASE WHEN hash(e.member, s.measure, 'step') % 3 = 0 AND e.month >= 60
                      THEN 0.08 ELSE 0 END
               + (CAST(hash(e.member, s.measure, e.month) % 1000 AS INTEGER)
                  + CAST(hash(e.member, s.measure, e.month, 'b') % 1000 AS INTEGER) - 1000)
                 / 25000.0
               + (CAST(hash(e.member, s.measure, e.month, e.value_version) % 100 AS INTEGER)
                  - 50) / 50000.0
           AS level,
           CASE WHEN hash(e.member, s.measure, e.month, 'small') % 50 = 0
                THEN 5 + hash(e.member, s.measure, e.month) % 30
                ELSE 200 + hash(e.member, s.measure) % 800 END AS size
    FROM events AS e, gen_measures AS s
),
counted AS (
    SELECT *,
           CASE kind WHEN 'proportion' THEN round(least(greatest(level, 0.0), 1.0) * size)
                     WHEN 'rate' THEN round(level * 0.06 * size * 20)
                     WHEN 'ratio' THEN round((0.6 + level * 0.6) * size) END AS numerator,
           CASE kind WHEN 'rate' THEN size * 20.0
                     WHEN 'proportion' THEN CAST(size AS DOUBLE)
                     WHEN 'ratio' THEN CAST(size AS DOUBLE) END AS denominator
    FROM shaped
)
SELECT position, return_id, version, org_code, measure_code, period,
       CASE WHEN denominator IS NULL THEN round(level * 200, 2)
            ELSE numerator / denominator * CASE kind WHEN 'rate' THEN 1000.0 ELSE 1.0 END
       END,
       numerator, denominator,
       CASE WHEN value_version = 1 THEN 'submitted' ELSE 'restated' END,
       recorded_at, 'bench', CASE WHEN value_version > 1 THEN 'bench restatement' END, NULL
FROM counted
ORDER BY position, measure_code;
"""

STATE_SQL = """
INSERT INTO return_events
SELECT l.position, e.return_id, e.org_code, e.period,
       CASE WHEN e.kind = 'sign_off' THEN 'signed_off'
            WHEN e.value_version = 1 THEN 'submitted' ELSE 'restated' END,
       e.version, e.recorded_at, 'bench',
       CASE WHEN e.kind = 'value' AND e.value_version > 1 THEN 'bench restatement' END,
       CASE WHEN e.kind = 'value' THEN {measures} ELSE 0 END, NULL, 'bench',
       CASE WHEN e.kind = 'sign_off' THEN e.version - 1 END, NULL
FROM gen_return_events AS e JOIN gen_log AS l USING (return_id, version)
ORDER BY l.position;

INSERT INTO event_index
SELECT position, recorded_at,
       CASE WHEN kind = 'catalogue' THEN 'concord:CatalogueApplied'
            WHEN kind = 'sign_off' THEN 'concord:ReturnSignedOff'
            WHEN version = 1 THEN 'concord:ReturnSubmitted' ELSE 'concord:ValuesRestated' END,
       coalesce(return_id, CAST(md5('bench-catalogue') AS UUID)), version, 'bench', org_code
FROM gen_log ORDER BY position;

-- Series keys as the projection gives them (migration 010), then every key's newest version:
-- its last value event's row.
INSERT INTO series_keys
SELECT series_key, org_code, measure_code
FROM new_series_keys(0, (SELECT max(position) FROM value_versions));

INSERT INTO current_values
SELECT v.org_code, v.measure_code, v.period, v.value, v.numerator, v.denominator, v.status,
       v.recorded_at, v.actor, v.position, v.return_id, k.series_key,
       month_index_of(v.period)
FROM value_versions AS v
JOIN (SELECT return_id, max(version) AS version FROM gen_return_events
      WHERE kind = 'value' GROUP BY return_id) AS latest
  ON v.return_id = latest.return_id AND v.return_version = latest.version
JOIN series_keys AS k ON v.org_code = k.org_code AND v.measure_code = k.measure_code
ORDER BY v.position, v.measure_code;

UPDATE projection_position SET position = (SELECT max(position) FROM gen_log);
"""


def _sql(template: str, **params: object) -> str:
    kinds = "[" + ", ".join(f"'{k}'" for k in KINDS) + "]"
    improvements = "[" + ", ".join(f"'{i}'" for i in IMPROVEMENTS) + "]"
    return template.format(first=FIRST_PERIOD, kinds=kinds, improvements=improvements,
                           in_window=IN_WINDOW_VERSIONS, stuck=STUCK_ONE_IN, **params)


def build(path: Path, *, members: int = 50, measures: int = 200, months: int = 100,
          versions: int = 10) -> dict[str, int]:
    """Create (replacing) the warehouse at ``path``; return row counts of the main tables."""
    from warehouse.db import BACKFILLS_DIR, Warehouse
    from warehouse.sqlfiles import query

    for stale in (path, path.with_name(path.name + ".wal")):
        stale.unlink(missing_ok=True)
    warehouse = Warehouse(path)
    try:
        warehouse.migrate()
        params = {"members": members, "measures": measures, "months": months,
                  "versions": versions}
        with warehouse.transaction() as cur:
            for template in (DIMENSIONS_SQL, EVENTS_SQL, CATALOGUE_SQL, VALUES_SQL, STATE_SQL):
                cur.execute(_sql(template, **params))
            # The returns table exactly as the projection computes it, for every return.
            cur.execute("CREATE TEMP VIEW incoming_events AS SELECT return_id FROM gen_returns")
            cur.execute(query("returns_projection.sql", "recompute_returns"))
            # The shared-view spans (migration 011) as its backfill and the projection give them.
            cur.execute((BACKFILLS_DIR / "011_shared_spans.sql").read_text(encoding="utf-8"))
        with warehouse.reading() as cur:
            cur.execute("CHECKPOINT")
            return {table: int(cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                    for table in ("value_versions", "current_values", "return_events",
                                  "event_index", "returns", "shared_current", "shared_closed")}
    finally:
        warehouse.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--members", type=int, default=50)
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--months", type=int, default=100)
    parser.add_argument("--versions", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = build(args.path, members=args.members, measures=args.measures,
                   months=args.months, versions=args.versions)
    seconds = time.perf_counter() - started
    for table, rows in counts.items():
        print(f"{table:16} {rows:>12,}")
    print(f"built {args.path} in {seconds:.1f} s")


if __name__ == "__main__":
    main()
