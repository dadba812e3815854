-- The one definition of who may see which value versions, as table macros every shared
-- query reads from. Arguments: pos = log position to read at; moment = when the view is
-- judged (windows closed?); viewer = the viewer's own member (sees its own at once, may be
-- NULL); sees_all = admins.
-- Others see a version once its return is signed off covering it and either the submission
-- window has closed (the due date has passed) or an admin published the period early.
-- A retraction is seen by everyone at once: withdrawing a value never reveals anything, and
-- waiting for a sign-off would keep a withdrawn value in shared views.

CREATE MACRO visible_versions(pos, moment, viewer, sees_all) AS TABLE
WITH catalogue AS (
    SELECT due_days_after_month_end AS due_days FROM catalogue_versions
    WHERE position = (SELECT max(position) FROM catalogue_versions WHERE position <= pos)
),
sign_offs AS (
    SELECT return_id, max(covers_version) AS covers_version
    FROM return_events
    WHERE event_type = 'signed_off' AND position <= pos
    GROUP BY return_id
),
published AS (
    SELECT period FROM period_publications WHERE position <= pos
)
SELECT v.*
FROM value_versions AS v
LEFT JOIN sign_offs AS s USING (return_id)
CROSS JOIN catalogue AS c
WHERE v.position <= pos
  AND (sees_all
       OR v.status = 'retracted'
       OR v.org_code IS NOT DISTINCT FROM viewer
       OR (v.return_version <= s.covers_version
           AND (v.period IN (SELECT period FROM published)
                OR CAST(moment AS TIMESTAMPTZ) >= CAST(v.period + INTERVAL 1 MONTH
                      + to_days(c.due_days) AS TIMESTAMP) AT TIME ZONE 'UTC')));

-- The latest visible version per (member, measure, period), retracted values left out.
CREATE MACRO visible_values(pos, moment, viewer, sees_all) AS TABLE
SELECT org_code, measure_code, period,
       arg_max(value, position) AS value,
       arg_max(numerator, position) AS numerator,
       arg_max(denominator, position) AS denominator,
       max(position) AS position,
       count(*) - 1 AS restatements
FROM visible_versions(pos, moment, viewer, sees_all)
GROUP BY org_code, measure_code, period
HAVING arg_max(status, position) <> 'retracted';
