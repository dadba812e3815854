-- The board overview (warehouse/queries/overview.py): every measure at its latest period with
-- data, every member's value, direction-aware rank and SPC icons, and the alliance benchmarks.
-- Shared view: what everyone may see (`visible_to_all`, migration 006, = visible_values(pos,
-- moment, NULL, false)), with the catalogue in force at the position. $1 = log position,
-- $2 = the moment the view is judged at. Ranks, icons and the row grid are numpy work on the
-- ~10,000 latest values (a query plan per step cost more than the step).

-- name: overview_values
-- Every shared value with a number, keyed for the SPC batch: cell = measure_index × members +
-- member_index, both in the catalogue's order at $1 (members and measures outside it are left
-- out). A suppressed value comes with value, numerator and denominator NULL.
WITH catalogue AS (
    SELECT max(position) AS position FROM catalogue_versions WHERE position <= $1
),
measures AS (
    SELECT m.measure_code, m.kind, m.small_number_threshold,
           CAST(row_number() OVER (ORDER BY m.ordinal) - 1 AS INTEGER) AS measure_index
    FROM measure_versions AS m JOIN catalogue AS c ON m.position = c.position
),
members AS (
    SELECT m.org_code,
           CAST(row_number() OVER (ORDER BY m.ordinal) - 1 AS INTEGER) AS member_index
    FROM member_versions AS m JOIN catalogue AS c ON m.position = c.position
),
shared AS (
    SELECT org_code, measure_code, period, value, numerator, denominator
    FROM visible_to_all($1, $2, NULL)
    WHERE value IS NOT NULL
),
-- THE small-number rule of this query, in one place so that the general suppression layer
-- (warehouse/sql/benchmarks.sql, migration 004) can replace it: a ratio measure's value whose
-- denominator is below the measure's small_number_threshold is shown suppressed and left out
-- of ranks, statistics and SPC series.
small_number_suppression AS (
    SELECT s.*, ms.measure_index,
           coalesce(s.denominator < ms.ratio_threshold, false) AS suppressed
    FROM shared AS s
    JOIN (SELECT measure_code, measure_index,
                 CASE WHEN kind IN ('proportion', 'rate', 'ratio')
                      THEN small_number_threshold END AS ratio_threshold
          FROM measures) AS ms USING (measure_code)
),
final AS (
    SELECT s.measure_index * (SELECT count(*) FROM members) + mb.member_index AS cell,
           s.period,
           CASE WHEN NOT s.suppressed THEN s.value END AS value,
           CASE WHEN NOT s.suppressed THEN s.numerator END AS numerator,
           CASE WHEN NOT s.suppressed THEN s.denominator END AS denominator
    FROM small_number_suppression AS s
    JOIN members AS mb USING (org_code)
)
SELECT CAST(cell AS INTEGER) AS cell, period, value, numerator, denominator
FROM final;

-- name: overview_measures
-- The measures of the catalogue in force at $1, in catalogue order (measure_index = row).
WITH catalogue AS (
    SELECT max(position) AS position FROM catalogue_versions WHERE position <= $1
)
SELECT m.measure_code, m.name, m.domain, m.kind, m.unit, m.improvement, m.target,
       m.multiplier, m.small_number_threshold, m.applies_to
FROM measure_versions AS m JOIN catalogue AS c ON m.position = c.position
ORDER BY m.ordinal;

-- name: overview_stats
-- Alliance benchmarks of each measure's latest period from the ranked (shown, unsuppressed)
-- values registered as `overview_ranked` (measure_index, org_order, value, numerator,
-- denominator, ratio_kind, multiplier): the pooled value (Σnumerator / Σdenominator ×
-- multiplier for ratio kinds, the mean otherwise), quartiles (continuous), min, max, n.
-- The arithmetic of benchmarks.sql (sums over lists in org_code order), so both agree to the
-- last digit and a snapshot reproduces exactly.
SELECT measure_index, count(*) AS members_reported,
       CASE WHEN any_value(ratio_kind)
            THEN list_sum(list(numerator ORDER BY org_order))
                 / nullif(list_sum(list(denominator ORDER BY org_order)), 0)
                 * any_value(multiplier)
            ELSE list_avg(list(value ORDER BY org_order)) END AS pooled,
       quantile_cont(value, 0.5) AS median,
       quantile_cont(value, 0.25) AS q1,
       quantile_cont(value, 0.75) AS q3,
       min(value) AS min,
       max(value) AS max
FROM overview_ranked
GROUP BY measure_index;

-- name: measure_values
-- The shared values of one measure ($3), of one period ($4, a DATE) or all (NULL), member by
-- member in month order: the input of one measure's SPC charts or funnel, read through the same
-- fast path as the overview. Small numbers are NOT suppressed here: callers apply their rule.
SELECT org_code, strftime(period, '%Y-%m') AS period,
       CAST(year(period) * 12 + month(period) - 1 AS INTEGER) AS month_index,
       value, numerator, denominator, position
FROM visible_to_all($1, $2, $3)
WHERE ($4 IS NULL OR period = CAST($4 AS DATE)) AND value IS NOT NULL
ORDER BY org_code, period;
