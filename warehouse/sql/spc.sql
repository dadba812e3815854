-- name: any_decision
-- Whether any SPC decision on measure $2 (NULL: any measure) was recorded by position $1: most
-- measures have none, and this answers in a fifth of the time decisions_in_force takes.
SELECT EXISTS (
    SELECT 1 FROM spc_decisions WHERE position <= $1 AND ($2 IS NULL OR measure_code = $2)
) AS any_decision;

-- name: decisions_in_force
-- SPC decisions in force at log position $1, for measure $2 (NULL: every measure).
-- A rebase is in force when its latest event is 'rebased'; a baseline when 'baseline_fixed'.
WITH decisions AS (
    SELECT position, measure_code, org_code, decision, period, n_points
    FROM spc_decisions
    WHERE position <= $1 AND ($2 IS NULL OR measure_code = $2)
),
rebases AS (
    SELECT measure_code, org_code, period, arg_max(decision, position) AS latest
    FROM decisions
    WHERE decision IN ('rebased', 'rebase_withdrawn')
    GROUP BY measure_code, org_code, period
),
baselines AS (
    SELECT measure_code, org_code, arg_max(decision, position) AS latest,
           arg_max(n_points, position) AS n_points
    FROM decisions
    WHERE decision IN ('baseline_fixed', 'baseline_released')
    GROUP BY measure_code, org_code
),
final AS (
    SELECT 'rebase' AS kind, measure_code, org_code, period, CAST(NULL AS INTEGER) AS n_points
    FROM rebases WHERE latest = 'rebased'
    UNION ALL
    SELECT 'baseline' AS kind, measure_code, org_code, CAST(NULL AS DATE) AS period, n_points
    FROM baselines WHERE latest = 'baseline_fixed'
)
SELECT kind, measure_code, org_code, period, n_points
FROM final
ORDER BY measure_code, org_code NULLS FIRST, kind, period;

-- name: decision_history
-- Every SPC decision on measure $2 recorded by position $1; $3 a member (its own and the
-- alliance-wide ones) or NULL for all.
SELECT position, measure_code, org_code, decision, strftime(period, '%Y-%m') AS period,
       n_points, reason, meeting, actor, recorded_at
FROM spc_decisions
WHERE position <= $1 AND measure_code = $2
  AND ($3 IS NULL OR org_code IS NULL OR org_code = $3)
ORDER BY position;

-- name: visible_series
-- The values of measure $5 the viewer may see at position $1 (moment $2, viewer $3, sees all
-- $4), for member $6 or every member (NULL), in time order. Missing months have no row, and
-- neither have small numbers the viewer may not see (is_small_number and is_suppressed,
-- definitions/40_small_numbers.sql: a member and admins still see the member's own): a point would
-- show the value, its limits would give it away. month_index counts months from year 0, so
-- gaps and rebase months compare as integers.
WITH measure AS (
    SELECT kind, small_number_threshold FROM measure_versions
    WHERE position = catalogue_position_at($1) AND measure_code = $5
),
visible AS (
    SELECT v.org_code, v.period, v.value, v.position
    FROM visible_values($1, $2, $3, $4) AS v CROSS JOIN measure AS m
    WHERE v.measure_code = $5 AND ($6 IS NULL OR v.org_code = $6) AND v.value IS NOT NULL
      AND NOT is_suppressed(is_small_number(m.kind, m.small_number_threshold, v.value,
                                            v.denominator), v.org_code, $3, $4)
),
final AS (
    SELECT org_code, strftime(period, '%Y-%m') AS period,
           year(period) * 12 + month(period) - 1 AS month_index, value, position
    FROM visible
)
SELECT org_code, period, month_index, value, position
FROM final
ORDER BY org_code, month_index;

-- name: member_series
-- visible_series for any viewer but an admin: member $5 (its own values at once, small
-- numbers included, everyone else's once shared) or, with $5 NULL, the shared viewer (what
-- everyone may see; every small number suppressed). The same rows, read through
-- visible_to_member (definitions/50_visibility.sql), which returns exactly visible_values($1,
-- $2, $5, false) (tests/integration/test_shared_spans.py) and takes the measure ($3) into its
-- scans. $4 a member or NULL. MATERIALIZED keeps the filters out of the macro's plan: a
-- little faster (24 against 26-30 ms for the shared viewer at the head of the bench warehouse).
WITH measure AS (
    SELECT kind, small_number_threshold FROM measure_versions
    WHERE position = catalogue_position_at($1) AND measure_code = $3
),
seen AS MATERIALIZED (
    SELECT org_code, period, value, denominator, position
    FROM visible_to_member($1, $2, $5, $3)
),
visible AS (
    SELECT v.org_code, v.period, v.value, v.position
    FROM seen AS v CROSS JOIN measure AS m
    WHERE ($4 IS NULL OR v.org_code = $4) AND v.value IS NOT NULL
      AND NOT is_suppressed(is_small_number(m.kind, m.small_number_threshold, v.value,
                                            v.denominator), v.org_code, $5, false)
),
final AS (
    SELECT org_code, strftime(period, '%Y-%m') AS period,
           year(period) * 12 + month(period) - 1 AS month_index, value, position
    FROM visible
)
SELECT org_code, period, month_index, value, position
FROM final
ORDER BY org_code, month_index;

-- name: latest_visible_period
-- The latest month of measure $5 with a value the viewer may see (arguments as above).
SELECT strftime(max(period), '%Y-%m') AS period
FROM visible_values($1, $2, $3, $4)
WHERE measure_code = $5;

-- name: latest_member_period
-- latest_visible_period for member $3 (not an admin), read through visible_to_member as
-- member_series reads it; $4 the measure.
SELECT strftime(max(period), '%Y-%m') AS period
FROM visible_to_member($1, $2, $3, $4);

-- name: shared_month_values
-- What the shared viewer sees of measure $3 in month $4 (a DATE), member by member, through
-- visible_to_all_in_month (definitions/50_visibility.sql): the funnel's input for a month
-- asked for. $1 position, $2 moment.
SELECT org_code, strftime(period, '%Y-%m') AS period, numerator, denominator
FROM visible_to_all_in_month($1, $2, $3, CAST($4 AS DATE))
ORDER BY org_code;

-- name: shared_latest_month_values
-- shared_month_values for the latest month with a value of measure $3: the funnel's input
-- and its month in one read of the shared spans (10 ms on the bench warehouse).
-- MATERIALIZED reads the spans once for both the month and its rows (about 1 ms faster).
WITH shared AS MATERIALIZED (
    SELECT org_code, period, numerator, denominator
    FROM visible_to_all($1, $2, $3)
),
latest AS (
    SELECT max(period) AS period FROM shared
),
final AS (
    SELECT s.org_code, strftime(s.period, '%Y-%m') AS period, s.numerator, s.denominator
    FROM shared AS s JOIN latest AS l ON s.period = l.period
)
SELECT org_code, period, numerator, denominator
FROM final
ORDER BY org_code;
