-- name: submission_status
-- Per member for one period ($1 = first day of the month), as the log stood at position $2,
-- judged at moment $3: due and lock dates, receipt times, completeness, timeliness, status.
-- Everything derives from event times; nobody clicks "complete".
WITH catalogue AS (
    SELECT * FROM catalogue_versions
    WHERE position = (SELECT max(position) FROM catalogue_versions WHERE position <= $2)
),
dates AS (
    SELECT CAST($1 AS DATE) AS period,
           due_date_of(CAST($1 AS DATE), due_days_after_month_end) AS due_date,
           lock_date_of(CAST($1 AS DATE), due_days_after_month_end,
                        lock_days_after_due) AS locks_on
    FROM catalogue
),
members AS (
    SELECT m.org_code, m.name, m.member_type, m.ordinal
    FROM member_versions AS m JOIN catalogue AS c USING (position)
),
expected AS (
    SELECT mb.org_code, count(ms.measure_code) AS expected
    FROM members AS mb
    JOIN measure_versions AS ms
      ON ms.position = (SELECT position FROM catalogue)
     AND (len(ms.applies_to) = 0 OR list_contains(ms.applies_to, mb.member_type))
    GROUP BY mb.org_code
),
versions AS (
    SELECT v.* FROM value_versions AS v
    WHERE v.period = CAST($1 AS DATE) AND v.position <= $2
),
latest AS (
    SELECT org_code, measure_code, arg_max(status, position) AS status
    FROM versions GROUP BY ALL
),
latest_by_due AS (
    SELECT v.org_code, v.measure_code, arg_max(v.status, v.position) AS status
    FROM versions AS v, dates AS d
    WHERE v.recorded_at < end_of_day(d.due_date)
    GROUP BY ALL
),
received AS (
    SELECT org_code, count(*) FILTER (WHERE status <> 'retracted') AS received
    FROM latest GROUP BY org_code
),
received_by_due AS (
    SELECT org_code, count(*) FILTER (WHERE status <> 'retracted') AS received
    FROM latest_by_due GROUP BY org_code
),
events AS (
    SELECT e.* FROM return_events AS e
    WHERE e.period = CAST($1 AS DATE) AND e.position <= $2
),
history AS (
    SELECT org_code,
           min(recorded_at) FILTER (WHERE event_type IN ('submitted', 'restated')) AS first_received_at,
           max(recorded_at) FILTER (WHERE event_type IN ('submitted', 'restated')) AS last_received_at,
           count(*) FILTER (WHERE event_type = 'restated') AS restatements,
           coalesce(sum(value_count) FILTER (WHERE event_type = 'restated'), 0) AS restated_values,
           max(covers_version) FILTER (WHERE event_type = 'signed_off') AS signed_off_version,
           max(version) FILTER (WHERE event_type IN ('submitted', 'restated', 'retracted')) AS values_version,
           arg_max(unlocked_until, position) FILTER (WHERE event_type = 'unlocked') AS unlocked_until
    FROM events GROUP BY org_code
),
after_sign_off AS (
    SELECT r.org_code, sum(r.value_count) AS restated_after_sign_off
    FROM events AS r
    WHERE r.event_type = 'restated' AND EXISTS (
        SELECT 1 FROM events AS s
        WHERE s.event_type = 'signed_off' AND s.org_code = r.org_code AND s.position < r.position)
    GROUP BY r.org_code
),
joined AS (
    SELECT mb.org_code, mb.name, mb.ordinal, d.due_date, d.locks_on,
           h.first_received_at, h.last_received_at,
           coalesce(e.expected, 0) AS expected,
           coalesce(r.received, 0) AS received,
           coalesce(rd.received, 0) AS received_by_due,
           coalesce(h.restatements, 0) AS restatements,
           coalesce(h.restated_values, 0) AS restated_values,
           coalesce(a.restated_after_sign_off, 0) AS restated_after_sign_off,
           h.signed_off_version IS NOT NULL
               AND h.signed_off_version = h.values_version AS signed_off,
           CAST($3 AS TIMESTAMPTZ) > end_of_day(d.due_date) AS past_due,
           CAST($3 AS TIMESTAMPTZ) > end_of_day(d.locks_on)
               AND (h.unlocked_until IS NULL
                    OR CAST($3 AS TIMESTAMPTZ) > end_of_day(h.unlocked_until)) AS locked
    FROM members AS mb
    CROSS JOIN dates AS d
    LEFT JOIN expected AS e USING (org_code)
    LEFT JOIN received AS r USING (org_code)
    LEFT JOIN received_by_due AS rd USING (org_code)
    LEFT JOIN history AS h USING (org_code)
    LEFT JOIN after_sign_off AS a USING (org_code)
),
final AS (
    SELECT org_code, name, strftime(CAST($1 AS DATE), '%Y-%m') AS period,
           due_date, locks_on,
           first_received_at, last_received_at,
           CASE WHEN received = 0 AND NOT past_due THEN NULL
                ELSE expected > 0 AND received_by_due >= expected END AS on_time,
           expected, received,
           CASE WHEN expected = 0 THEN 1.0 ELSE least(received, expected) / expected END AS completeness,
           CASE WHEN received = 0 THEN (CASE WHEN past_due THEN 'missing' ELSE 'not_due' END)
                WHEN received < expected THEN 'partial'
                WHEN locked THEN 'locked'
                WHEN received_by_due >= expected THEN 'complete'
                WHEN past_due THEN 'late'
                ELSE 'complete' END AS status,
           restatements, restated_values, restated_after_sign_off, signed_off, ordinal
    FROM joined
)
SELECT * EXCLUDE (ordinal) FROM final ORDER BY ordinal;
