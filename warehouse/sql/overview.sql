-- The board overview (warehouse/queries/overview.py): every measure at its latest period with
-- data, every member's value, direction-aware rank and SPC icons, and the alliance benchmarks.
-- Shared view: what everyone may see (`visible_to_all`, definitions/50_visibility.sql, = visible_values(pos,
-- moment, NULL, false)), with the catalogue in force at the position. $1 = log position,
-- $2 = the moment the view is judged at. Ranks, icons and the row grid are numpy work on the
-- ~10,000 latest values (a query plan per step cost more than the step).

-- name: overview_values
-- Every shared value with a number, by its integer series key and month count (migration 010):
-- just the columns of `visible_to_all` the overview reads. board_overview turns keys into
-- cells (overview_series) and masks small numbers (the thresholds of overview_catalogue) in
-- one compiled pass (overview_values.shared_grid): a join to ten thousand series and a CASE,
-- each over a million rows, plus the result's conversion, cost DuckDB more than the gathers
-- cost numpy (docs/benchmarks.md, fourth round), and the compiled pass costs less again
-- (sixth round). A small number's numerator and denominator come as they are; board_overview
-- masks them in the ~10,000 latest cells it shows. month_index counts months from year 0
-- (as spc.sql's does).
SELECT series_key, month_index, value, numerator, denominator
FROM visible_to_all($1, $2, NULL)
WHERE value IS NOT NULL;

-- name: overview_series
-- Every series key with its member and measure. Keys are given in order of first appearance and
-- never change (definitions/70_series_keys.sql), so the keys of values recorded by any
-- position read earlier are all here.
SELECT series_key, org_code, measure_code
FROM series_keys;

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

-- name: overview_catalogue
-- The catalogue in force at $1 in one round trip: its measures and its members as lists in
-- catalogue order (a value's cell is measure index × members + member index), each measure
-- with the halves of its small-number rule (definitions/40_small_numbers.sql), and whether any SPC decision had been recorded by $1 (if none,
-- no series has to be charted alone).
WITH catalogue AS (
    SELECT catalogue_position_at($1) AS position
),
measures AS (
    SELECT list({'measure_code': m.measure_code, 'name': m.name, 'domain': m.domain,
                 'kind': m.kind, 'unit': m.unit, 'improvement': m.improvement,
                 'target': m.target, 'multiplier': m.multiplier,
                 'small_number_threshold': m.small_number_threshold,
                 'applies_to': m.applies_to,
                 'value_below': small_number_value_below(m.kind, m.small_number_threshold),
                 'denominator_below': small_number_denominator_below(
                     m.kind, m.small_number_threshold)} ORDER BY m.ordinal) AS measures
    FROM measure_versions AS m JOIN catalogue AS c ON m.position = c.position
),
members AS (
    SELECT list({'org_code': m.org_code, 'name': m.name, 'member_type': m.member_type}
                ORDER BY m.ordinal) AS members
    FROM member_versions AS m JOIN catalogue AS c ON m.position = c.position
),
final AS (
    SELECT coalesce(ms.measures, []) AS measures, coalesce(mb.members, []) AS members,
           EXISTS (SELECT 1 FROM spc_decisions WHERE position <= $1) AS any_decision
    FROM measures AS ms CROSS JOIN members AS mb
)
SELECT measures, members, any_decision
FROM final;
