-- name: visible_values
-- The values a viewer may see at log position $1, judged at moment $2.
-- $3: the viewer's own member (sees its own values at once), $4: sees everything (admin).
-- Others see a value version once its return is signed off (covering that version) and
-- either the submission window has closed (the due date has passed) or an admin published
-- the period early. Where a later version is not yet visible, the last visible one stands.
-- $5 measure_code and $6 period (first of month) narrow the answer when not NULL.
WITH catalogue AS (
    SELECT due_days_after_month_end AS due_days FROM catalogue_versions
    WHERE position = (SELECT max(position) FROM catalogue_versions WHERE position <= $1)
),
sign_offs AS (
    SELECT return_id, max(covers_version) AS covers_version
    FROM return_events
    WHERE event_type = 'signed_off' AND position <= $1
    GROUP BY return_id
),
published AS (
    SELECT period FROM period_publications WHERE position <= $1
),
versions AS (
    SELECT v.*
    FROM value_versions AS v
    WHERE v.position <= $1
      AND ($5 IS NULL OR v.measure_code = $5)
      AND ($6 IS NULL OR v.period = CAST($6 AS DATE))
),
visible AS (
    SELECT v.*
    FROM versions AS v
    LEFT JOIN sign_offs AS s USING (return_id)
    CROSS JOIN catalogue AS c
    WHERE $4
       OR v.org_code = $3
       OR (v.return_version <= s.covers_version
           AND (v.period IN (SELECT period FROM published)
                OR CAST($2 AS TIMESTAMPTZ) >= CAST(v.period + INTERVAL 1 MONTH
                      + to_days(c.due_days) AS TIMESTAMP) AT TIME ZONE 'UTC'))
),
final AS (
    SELECT org_code, measure_code, period,
           arg_max(value, position) AS value,
           arg_max(numerator, position) AS numerator,
           arg_max(denominator, position) AS denominator,
           arg_max(status, position) AS status,
           max(position) AS position,
           count(*) - 1 AS restatements
    FROM visible
    GROUP BY org_code, measure_code, period
)
SELECT org_code, measure_code, strftime(period, '%Y-%m') AS period, value, numerator,
       denominator, position, restatements
FROM final
WHERE status <> 'retracted'
ORDER BY measure_code, period, org_code;
