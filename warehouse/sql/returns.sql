-- name: list_returns
SELECT * REPLACE (strftime(period, '%Y-%m') AS period)
FROM return_summaries
WHERE ($1 IS NULL OR org_code = $1)
  AND ($2 IS NULL OR period = CAST($2 || '-01' AS DATE))
ORDER BY period DESC, org_code;

-- name: return_detail
SELECT * REPLACE (strftime(period, '%Y-%m') AS period)
FROM return_summaries
WHERE return_id = $1;

-- name: return_events
SELECT position, event_type, version, recorded_at, actor, reason, value_count, source
FROM return_events WHERE return_id = $1 ORDER BY position;

-- name: return_values
WITH versions AS (
    SELECT measure_code, count(*) AS versions FROM value_versions
    WHERE return_id = $1 GROUP BY measure_code
),
warnings AS (
    SELECT w.measure_code, list(w.code || ': ' || w.message ORDER BY w.position) AS warnings
    FROM value_warnings AS w JOIN returns AS r ON w.org_code = r.org_code AND w.period = r.period
    WHERE r.return_id = $1 GROUP BY w.measure_code
)
SELECT c.measure_code, c.value, c.numerator, c.denominator, c.status, c.recorded_at, c.actor,
       c.position, v.versions, coalesce(w.warnings, []) AS warnings
FROM current_values AS c
JOIN versions AS v USING (measure_code)
LEFT JOIN warnings AS w USING (measure_code)
WHERE c.return_id = $1
ORDER BY c.measure_code;

-- name: value_history
SELECT position, return_version, value, numerator, denominator, status, recorded_at, actor,
       reason, comment
FROM value_versions
WHERE org_code = $1 AND measure_code = $2 AND period = CAST($3 || '-01' AS DATE)
ORDER BY position;

-- name: held_measure_codes
SELECT measure_code FROM current_values
WHERE org_code = $1 AND period = CAST($2 || '-01' AS DATE) AND status <> 'retracted';
