-- Queries behind concord.demo.timeline, run on a private in-memory DuckDB connection where
-- `demo_rows` (all demo returns, LONG_SCHEMA) and `schedule` (when each member-period is sent)
-- are registered Arrow tables.

-- name: member_periods
-- $1 = the synthetic comment. Every member-period holding any row, and whether it holds
-- synthetic rows (only those may be restated: real values are never changed).
SELECT org_code, period, bool_or(comment IS NOT DISTINCT FROM $1) AS has_synthetic
FROM demo_rows
GROUP BY org_code, period
ORDER BY period, org_code

-- name: scheduled_rows
-- The rows actually sent, with the moment they were recorded; missing returns (moment -1)
-- drop out. Ordered so each batch is one contiguous slice.
SELECT r.org_code, r.measure_code, r.period, r.value, r.numerator, r.denominator, r.comment,
       s.moment, s.recorded_at
FROM demo_rows AS r
JOIN schedule AS s ON r.org_code = s.org_code AND r.period = s.period
WHERE s.moment >= 0
ORDER BY s.recorded_at, r.org_code, r.measure_code
