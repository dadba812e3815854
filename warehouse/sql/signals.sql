-- name: touched_series
-- The (member, measure) series whose signals a batch may change: those with a value event at
-- positions $1..$2, those of a measure whose decisions changed (`decided_scopes`: measure,
-- member or NULL for every member), and every series when $3 (the catalogue changed).
WITH by_values AS (
    SELECT org_code, measure_code FROM value_versions WHERE position BETWEEN $1 AND $2
),
by_decisions AS (
    SELECT c.org_code, c.measure_code
    FROM current_values AS c
    JOIN decided_scopes AS d
      ON c.measure_code = d.measure_code AND (d.org_code IS NULL OR d.org_code = c.org_code)
),
by_catalogue AS (
    SELECT org_code, measure_code FROM current_values WHERE $3
),
final AS (
    SELECT org_code, measure_code FROM by_values
    UNION
    SELECT org_code, measure_code FROM by_decisions
    UNION
    SELECT org_code, measure_code FROM by_catalogue
)
SELECT org_code, measure_code FROM final;

-- name: drop_touched_signals
DELETE FROM signals
WHERE (org_code, measure_code) IN (SELECT org_code, measure_code FROM touched_series);

-- name: touched_values
-- Every current value of the touched series (all of them, published or not: signals are for
-- governance), with the latest catalogue's direction and target, ordered by the series number
-- `touched_series` gives (integers sort faster than codes). Neutral measures have no concern
-- and no assurance, so they can never signal and are left out.
WITH measure AS (
    SELECT measure_code, improvement, target FROM measures WHERE improvement <> 'neutral'
),
series AS (
    SELECT c.org_code, c.measure_code, c.period, c.value, c.position, t.series
    FROM current_values AS c
    JOIN touched_series AS t USING (org_code, measure_code)
    WHERE c.status <> 'retracted' AND c.value IS NOT NULL
),
final AS (
    SELECT s.org_code, s.measure_code, s.period,
           year(s.period) * 12 + month(s.period) - 1 AS month_index, s.value, s.position,
           m.improvement, m.target, s.series
    FROM series AS s
    JOIN measure AS m USING (measure_code)
)
SELECT org_code, measure_code, period, month_index, value, position, improvement, target, series
FROM final
ORDER BY series, month_index;

-- name: list_signals
-- Signals for measure $1 and member $2 (NULL: all), newest period first.
SELECT org_code, measure_code, strftime(period, '%Y-%m') AS period, rule,
       strftime(latest_period, '%Y-%m') AS latest_period, latest_position
FROM signals
WHERE ($1 IS NULL OR measure_code = $1) AND ($2 IS NULL OR org_code = $2)
ORDER BY measure_code, org_code, period DESC, rule;
