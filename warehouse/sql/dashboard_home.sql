-- Read queries for the dashboards' home page. Each takes $1 = the log position to read at and
-- $2 = whether that position is the latest projected one: then `current_values` already holds
-- the answer; for an earlier position the latest version at or before it is rebuilt from
-- `value_versions`, so a later restatement never leaks into a past view.
-- A value counts as held when it has a value and has not been retracted.

-- name: measure_latest_at
-- Per measure: the latest period with any value, how many members reported it, their median.
WITH current_held AS (
    SELECT org_code, measure_code, period, value, status
    FROM current_values
    WHERE $2
),
versioned_held AS (
    SELECT org_code, measure_code, period, value, status
    FROM value_versions
    WHERE NOT $2 AND position <= $1
    QUALIFY row_number() OVER (
        PARTITION BY org_code, measure_code, period ORDER BY position DESC, return_version DESC
    ) = 1
),
held AS (
    SELECT org_code, measure_code, period, value
    FROM (SELECT * FROM current_held UNION ALL SELECT * FROM versioned_held)
    WHERE value IS NOT NULL AND status <> 'retracted'
),
latest AS (
    SELECT measure_code, max(period) AS period
    FROM held
    GROUP BY measure_code
),
final AS (
    SELECT h.measure_code,
           l.period AS latest_period,
           count(DISTINCT h.org_code) AS members_reporting,
           median(h.value) AS median_value
    FROM held AS h
    JOIN latest AS l ON h.measure_code = l.measure_code AND h.period = l.period
    GROUP BY h.measure_code, l.period
)
SELECT measure_code, latest_period, members_reporting, median_value
FROM final
ORDER BY measure_code;

-- name: value_totals_at
-- How many values are held, from how many members, and the latest period with any value.
WITH current_held AS (
    SELECT org_code, measure_code, period, value, status
    FROM current_values
    WHERE $2
),
versioned_held AS (
    SELECT org_code, measure_code, period, value, status
    FROM value_versions
    WHERE NOT $2 AND position <= $1
    QUALIFY row_number() OVER (
        PARTITION BY org_code, measure_code, period ORDER BY position DESC, return_version DESC
    ) = 1
),
held AS (
    SELECT org_code, measure_code, period, value
    FROM (SELECT * FROM current_held UNION ALL SELECT * FROM versioned_held)
    WHERE value IS NOT NULL AND status <> 'retracted'
),
final AS (
    SELECT count(*) AS values_held,
           count(DISTINCT org_code) AS members_reporting,
           max(period) AS latest_period
    FROM held
)
SELECT values_held, members_reporting, latest_period FROM final;
