-- When each value became, and stopped being, what everyone sees once its month is open:
-- the spans of log positions the shared-view read model holds (migration 011, tables
-- shared_current and shared_closed), recomputed by the returns projection for the returns
-- whose sign-offs or retractions it projects (warehouse/projections/returns.py,
-- _replace_shared_spans; tests/integration/test_shared_spans.py).

-- Every span, from the whole history recorded by `last`, of every value of each return
-- with a sign-off or a retraction at positions first..last. A span's value is the one
-- visible_values(q, moment, NULL, false) shows for q in [shared_from, shared_until)
-- (shared_until NULL: still shown at `last`), at any moment once the value's month is open
-- to all (open_to_all, 50_visibility.sql).
--
-- Why: others see a version once a sign-off covering it was recorded (its return's sign-offs
-- cover versions up to their covers_version) and a retraction at once; they see the latest of
-- those, nothing if it is a retraction, and only once the month's window had closed or the
-- month was published. That last condition depends on the month alone, so the rest is a
-- property of the log position: each version becomes eligible at one position (its
-- retraction's own, or the first sign-off covering it), and a key's shown value at q is its
-- latest version (by log position) eligible by q. A return's versions are numbered in log
-- order, so each value event's versions become eligible at the first sign-off whose cover
-- reaches its version; the shown value changes only where a newly eligible version is later
-- than the one shown.
CREATE OR REPLACE MACRO shared_spans_of_changed_returns(first, last) AS TABLE
WITH changed AS (
    SELECT DISTINCT return_id FROM return_events
    WHERE position BETWEEN first AND last AND event_type IN ('signed_off', 'retracted')
),
events AS (
    SELECT e.return_id, e.position, e.event_type, e.version, e.covers_version
    FROM return_events AS e SEMI JOIN changed AS c USING (return_id)
    WHERE e.position <= last
),
sign_offs AS (
    SELECT return_id, position, covers_version FROM events WHERE event_type = 'signed_off'
),
-- Each value event's position and the position its versions became eligible at (NULL: not
-- yet covered by `last`).
eligible_at AS (
    SELECT v.position,
           CASE WHEN v.event_type = 'retracted' THEN v.position ELSE min(s.position) END
               AS eligible_from
    FROM events AS v
    LEFT JOIN sign_offs AS s ON s.return_id = v.return_id AND s.covers_version >= v.version
    WHERE v.event_type IN ('submitted', 'restated', 'retracted')
    GROUP BY v.position, v.event_type
),
versions AS (
    SELECT v.return_id, v.org_code, v.measure_code, v.period, v.value, v.numerator,
           v.denominator, v.status, v.position, e.eligible_from
    FROM value_versions AS v
    JOIN eligible_at AS e USING (position)
    WHERE v.position IN (SELECT position FROM eligible_at WHERE eligible_from IS NOT NULL)
),
-- The latest version of each key made eligible at each position, then the latest eligible so
-- far (what is shown from that position on).
newly_eligible AS (
    SELECT org_code, measure_code, period, eligible_from, max(position) AS newest
    FROM versions
    GROUP BY org_code, measure_code, period, eligible_from
),
shown AS (
    SELECT org_code, measure_code, period, eligible_from,
           max(newest) OVER (PARTITION BY org_code, measure_code, period ORDER BY eligible_from
                             ROWS UNBOUNDED PRECEDING) AS shown_position
    FROM newly_eligible
),
changes AS (
    SELECT org_code, measure_code, period, eligible_from, shown_position
    FROM shown
    QUALIFY shown_position IS DISTINCT FROM lag(shown_position) OVER (
        PARTITION BY org_code, measure_code, period ORDER BY eligible_from)
),
spans AS (
    SELECT org_code, measure_code, period, shown_position AS position,
           eligible_from AS shared_from,
           lead(eligible_from) OVER (PARTITION BY org_code, measure_code, period
                                     ORDER BY eligible_from) AS shared_until
    FROM changes
)
SELECT v.return_id, s.org_code, s.measure_code, s.period, k.series_key,
       month_index_of(s.period) AS month_index, v.value, v.numerator, v.denominator,
       s.position, s.shared_from, s.shared_until
FROM spans AS s
JOIN versions AS v
    ON v.org_code = s.org_code AND v.measure_code = s.measure_code AND v.period = s.period
   AND v.position = s.position
JOIN series_keys AS k ON k.org_code = s.org_code AND k.measure_code = s.measure_code
WHERE v.status <> 'retracted';
