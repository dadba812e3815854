-- Read queries for the dashboards' home page, which anonymous board viewers see. Each takes
-- $1 = the log position to read at and $2 = the moment that view is judged at
-- (`warehouse.asof.moment_of`), and reads only what is shared at that position and moment:
-- `visible_to_all` (definitions/50_visibility.sql), exactly `visible_values` with no viewer
-- member and no admin rights read from the shared spans, so a value shows once its return is
-- signed off and its submission window has closed (or its period was published early).
-- Retracted values are already left out there; a value counts as held when it is not NULL.

-- name: measure_latest_at
-- Per measure: the latest period with any value, how many members reported it, their median.
WITH held AS (
    SELECT org_code, measure_code, period, value
    FROM visible_to_all($1, $2, NULL)
    WHERE value IS NOT NULL
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
WITH held AS (
    SELECT org_code, measure_code, period, value
    FROM visible_to_all($1, $2, NULL)
    WHERE value IS NOT NULL
),
final AS (
    SELECT count(*) AS values_held,
           count(DISTINCT org_code) AS members_reporting,
           max(period) AS latest_period
    FROM held
)
SELECT values_held, members_reporting, latest_period FROM final;
