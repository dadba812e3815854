-- Data quality of one member's returns over time: completeness (share of the measures
-- expected from it that it holds) and timeliness (whether every expected measure was in by the
-- due date). Counts of receipts only, never values, so no visibility rule applies.

-- name: member_data_quality
-- $1 org_code, $2 position, $3 moment (judges "not yet due"), $4 last period (DATE),
-- $5 number of periods. One row per period (oldest first) from the catalogue's first period
-- on, each with the member's rates over all the rows returned.
WITH catalogue AS (
    SELECT position, first_period, due_days_after_month_end FROM catalogue_versions
    WHERE position = catalogue_position_at($2)
),
member AS (
    SELECT m.org_code, m.member_type
    FROM member_versions AS m JOIN catalogue AS c USING (position)
    WHERE m.org_code = $1
),
expected_measures AS (
    SELECT ms.measure_code
    FROM measure_versions AS ms
    JOIN catalogue AS c USING (position)
    CROSS JOIN member AS mb
    WHERE len(ms.applies_to) = 0 OR list_contains(ms.applies_to, mb.member_type)
),
periods AS (
    SELECT CAST(p.period AS DATE) AS period,
           due_date_of(CAST(p.period AS DATE), c.due_days_after_month_end) AS due_date
    FROM (SELECT unnest(generate_series(CAST($4 AS DATE) - to_months(CAST($5 AS INTEGER) - 1),
                                        CAST($4 AS DATE), INTERVAL 1 MONTH)) AS period) AS p
    CROSS JOIN catalogue AS c
    WHERE p.period >= c.first_period
),
versions AS (
    SELECT v.period, v.measure_code, v.position, v.status, v.recorded_at, p.due_date
    FROM value_versions AS v
    JOIN periods AS p USING (period)
    JOIN expected_measures AS e USING (measure_code)
    WHERE v.org_code = $1 AND v.position <= $2
),
held AS (
    SELECT period, measure_code, arg_max(status, position) AS status
    FROM versions GROUP BY period, measure_code
),
held_by_due AS (
    SELECT period, measure_code, arg_max(status, position) AS status
    FROM versions
    WHERE recorded_at < end_of_day(due_date)
    GROUP BY period, measure_code
),
counted AS (
    SELECT p.period, p.due_date, (SELECT count(*) FROM expected_measures) AS expected,
           (SELECT count(*) FROM held AS h
            WHERE h.period = p.period AND h.status <> 'retracted') AS received,
           (SELECT count(*) FROM held_by_due AS h
            WHERE h.period = p.period AND h.status <> 'retracted') AS received_by_due,
           CAST($3 AS TIMESTAMPTZ) >= end_of_day(p.due_date) AS past_due
    FROM periods AS p
),
judged AS (
    SELECT period, due_date, expected, received,
           CASE WHEN expected = 0 THEN NULL ELSE received / expected END AS completeness,
           CASE WHEN expected = 0 THEN NULL
                WHEN received_by_due >= expected THEN true
                WHEN past_due THEN false END AS on_time
    FROM counted
),
final AS (
    SELECT strftime(period, '%Y-%m') AS period, due_date, expected, received, completeness,
           on_time,
           sum(received) OVER () / nullif(sum(expected) OVER (), 0) AS completeness_rate,
           avg(CAST(on_time AS INTEGER)) OVER () AS timeliness_rate,
           period AS period_date
    FROM judged
)
SELECT * EXCLUDE (period_date) FROM final ORDER BY period_date;
