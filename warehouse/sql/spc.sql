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
-- $4), for member $6 or every member (NULL), in time order. Missing months have no row.
-- month_index counts months from year 0, so gaps and rebase months compare as integers.
WITH visible AS (
    SELECT org_code, period, value, position
    FROM visible_values($1, $2, $3, $4)
    WHERE measure_code = $5 AND ($6 IS NULL OR org_code = $6) AND value IS NOT NULL
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
