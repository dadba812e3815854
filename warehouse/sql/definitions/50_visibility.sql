-- Who may see which value versions: the one definition every shared view reads through.
-- Definitions hold no data: warehouse/db.py re-applies every file of this folder, in name
-- order, after the migrations, each time the warehouse opens (Warehouse.migrate).

-- The one definition of who may see which value versions, as table macros every shared
-- query reads from. Arguments: pos = log position to read at; moment = when the view is
-- judged (windows closed?); viewer = the viewer's own member (sees its own at once, may be
-- NULL); sees_all = admins.
-- Others see a version once its return is signed off covering it and either the submission
-- window has closed (the due date has passed) or an admin published the period early.
-- A retraction is seen by everyone at once: withdrawing a value never reveals anything, and
-- waiting for a sign-off would keep a withdrawn value in shared views.

CREATE OR REPLACE MACRO visible_versions(pos, moment, viewer, sees_all) AS TABLE
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
CREATE OR REPLACE MACRO visible_values(pos, moment, viewer, sees_all) AS TABLE
SELECT org_code, measure_code, period,
       arg_max(value, position) AS value,
       arg_max(numerator, position) AS numerator,
       arg_max(denominator, position) AS denominator,
       max(position) AS position,
       count(*) - 1 AS restatements
FROM visible_versions(pos, moment, viewer, sees_all)
GROUP BY org_code, measure_code, period
HAVING arg_max(status, position) <> 'retracted';

-- Whether month `month`'s signed-off values are everyone's to see at pos, judged at moment:
-- its submission window (`due_days` of the catalogue in force at pos) had closed, or an admin
-- had published it by pos. The one statement of that rule for the shared-view macros below
-- and the funnel's month candidates (spc.sql). visible_versions, the reference the tests hold
-- those to, states it on its own.
CREATE OR REPLACE MACRO open_to_all(month, due_days, pos, moment) AS
    month IN (SELECT period FROM period_publications WHERE position <= pos)
    OR CAST(moment AS TIMESTAMPTZ) >= end_of_day(due_date_of(month, due_days));

-- A fast path to what everyone may see: exactly visible_values(pos, moment, NULL, false)
-- (of one measure, or of all when `measure` is NULL), without the `restatements` count,
-- read mostly from current_values instead of grouping every version of every value, and with
-- each value's series_key and month_index (current_values keeps both; looked-up versions get
-- theirs from series_keys). The measure is an argument, not a filter on the result, so that it
-- reaches every scan. The window closes at end_of_day(due_date_of(...)) (20_calendar.sql).
--
-- Why it is the same: a value is shared when its return's sign-offs up to pos cover its
-- version and its period's window had closed at moment (or the period was published by pos);
-- the shared value is the latest such version. Window and publication depend only on the
-- period, so they select whole returns. In a return whose sign-offs cover every value version
-- recorded by pos, the latest shared version of a key is simply its latest version by pos, and
-- where current_values holds a version recorded by pos that is it ("settled"). Every other key
-- of a shared return is looked up among the versions: first in the return's latest eligible
-- event (covered and recorded by pos), where nearly all of them are found; only keys that event
-- did not touch are looked up in the return's earlier eligible events. Everyone sees a
-- retraction at once (visible_versions), so a retraction recorded by pos after the version found hides the
-- key; retracted values are left out at the end, as visible_values leaves them out.
-- tests/api/test_overview_api.py holds it to visible_values at every position of a history
-- with restatements, retractions, unsigned values and restatements after sign-off.

CREATE OR REPLACE MACRO visible_to_all(pos, moment, measure) AS TABLE
WITH catalogue AS (
    SELECT due_days_after_month_end AS due_days FROM catalogue_versions
    WHERE position = (SELECT max(position) FROM catalogue_versions WHERE position <= pos)
),
return_state AS (
    SELECT return_id, any_value(period) AS period,
           max(covers_version) FILTER (WHERE event_type = 'signed_off') AS covers,
           max(version) FILTER (WHERE event_type IN ('submitted', 'restated', 'retracted'))
               AS values_version
    FROM return_events
    WHERE position <= pos
    GROUP BY return_id
),
return_sharing AS MATERIALIZED (
    SELECT r.return_id, r.covers,
           coalesce(r.covers IS NOT NULL
               AND open_to_all(r.period, c.due_days, pos, moment), false) AS shared,
           coalesce(r.covers >= r.values_version, false) AS covered
    FROM return_state AS r
    CROSS JOIN catalogue AS c
),
shared_returns AS (
    SELECT return_id, covers, covered FROM return_sharing WHERE shared
),
-- Returns whose values at pos are not all plainly shared (unsigned, window still open, or
-- values recorded after the latest sign-off): few at any time, so the scan of current_values
-- only has to leave them out.
unsettled_returns AS (
    SELECT return_id FROM return_sharing WHERE NOT (shared AND covered)
),
settled AS (
    SELECT org_code, measure_code, period, value, numerator, denominator, status, position,
           series_key, month_index
    FROM current_values
    WHERE position <= pos AND (measure IS NULL OR measure_code = measure)
      AND return_id NOT IN (SELECT return_id FROM unsettled_returns)
),
-- Keys of shared returns whose latest shared version current_values may not hold: recorded
-- after pos, or in a return with values recorded after its latest sign-off.
unsettled AS MATERIALIZED (
    SELECT org_code, measure_code, period, return_id FROM current_values
    WHERE position > pos AND (measure IS NULL OR measure_code = measure)
      AND return_id IN (SELECT return_id FROM shared_returns)
    UNION ALL
    SELECT org_code, measure_code, period, return_id FROM current_values
    WHERE position <= pos AND (measure IS NULL OR measure_code = measure)
      AND return_id IN (SELECT return_id FROM shared_returns WHERE NOT covered)
),
eligible_events AS MATERIALIZED (
    SELECT e.return_id, e.position,
           e.position = max(e.position) OVER (PARTITION BY e.return_id) AS latest
    FROM return_events AS e
    JOIN shared_returns AS s USING (return_id)
    WHERE e.return_id IN (SELECT return_id FROM unsettled)
      AND e.position <= pos
      AND e.version <= s.covers
      AND e.event_type IN ('submitted', 'restated', 'retracted')
),
-- Rows are fetched by event position only, in CTEs the optimiser cannot merge with the key
-- joins, so that each scan of value_versions reads just the row groups of those events.
latest_event_rows AS MATERIALIZED (
    SELECT org_code, measure_code, period, value, numerator, denominator, status, position
    FROM value_versions
    WHERE position IN (SELECT position FROM eligible_events WHERE latest)
      AND (measure IS NULL OR measure_code = measure)
),
in_latest_event AS MATERIALIZED (
    SELECT l.* FROM latest_event_rows AS l
    SEMI JOIN unsettled AS u
        ON l.org_code = u.org_code AND l.measure_code = u.measure_code AND l.period = u.period
),
not_in_latest_event AS MATERIALIZED (
    SELECT u.* FROM unsettled AS u
    ANTI JOIN in_latest_event AS l
        ON u.org_code = l.org_code AND u.measure_code = l.measure_code AND u.period = l.period
),
earlier_event_rows AS MATERIALIZED (
    SELECT org_code, measure_code, period, value, numerator, denominator, status, position
    FROM value_versions
    WHERE position IN (
        SELECT position FROM eligible_events
        WHERE NOT latest AND return_id IN (SELECT return_id FROM not_in_latest_event))
      AND (measure IS NULL OR measure_code = measure)
),
in_earlier_events AS (
    SELECT e.org_code, e.measure_code, e.period,
           arg_max(e.value, e.position) AS value,
           arg_max(e.numerator, e.position) AS numerator,
           arg_max(e.denominator, e.position) AS denominator,
           arg_max(e.status, e.position) AS status,
           max(e.position) AS position
    FROM earlier_event_rows AS e
    SEMI JOIN not_in_latest_event AS u
        ON e.org_code = u.org_code AND e.measure_code = u.measure_code AND e.period = u.period
    GROUP BY e.org_code, e.measure_code, e.period
),
-- A retraction is seen by everyone at once (visible_versions), so a later retraction hides a version
-- found above. Only looked-up keys can have one: a settled key's version is its latest. The
-- rows at a retraction event's position are that event's retracted values (returns
-- projection), so they are found by position alone: a filter on status would read the status
-- of every version.
later_retractions AS (
    SELECT org_code, measure_code, period, max(position) AS position
    FROM value_versions
    WHERE position IN (
        SELECT position FROM return_events
        WHERE event_type = 'retracted' AND position <= pos
          AND return_id IN (SELECT return_id FROM unsettled))
      AND (measure IS NULL OR measure_code = measure)
    GROUP BY org_code, measure_code, period
),
looked_up AS (
    SELECT * FROM in_latest_event
    UNION ALL
    SELECT * FROM in_earlier_events
),
-- The few looked-up rows get their series key by code (every key of value_versions has one).
looked_up_keyed AS (
    SELECT l.*, k.series_key, month_index_of(l.period) AS month_index
    FROM looked_up AS l
    JOIN series_keys AS k ON l.org_code = k.org_code AND l.measure_code = k.measure_code
),
latest_shared AS (
    SELECT org_code, measure_code, period, value, numerator, denominator, status, position,
           series_key, month_index
    FROM settled
    UNION ALL
    SELECT l.* FROM looked_up_keyed AS l
    ANTI JOIN later_retractions AS r
        ON l.org_code = r.org_code AND l.measure_code = r.measure_code
       AND l.period = r.period AND r.position > l.position
)
SELECT org_code, measure_code, period, value, numerator, denominator, position, series_key,
       month_index
FROM latest_shared
WHERE status <> 'retracted';

-- What everyone may see of one measure in one month: exactly
-- visible_values(pos, moment, NULL, false) WHERE measure_code = measure AND period = month,
-- read from that month's returns alone, for the funnel (one measure, one month).
--
-- Why it is the same: a month's values are all in that month's returns, and each of a return's
-- value versions is recorded at the position of the return event that carried it (submitted,
-- restated, retracted; returns projection), so those events' positions find every version of
-- the month (value_versions is in position order, so the scan reads only their row groups).
-- Of those, visible_versions lets everyone see a version of a return that was signed off
-- covering it, once the month's window had closed at moment or the month was published by
-- pos; and every retraction at once. The latest of them is the value, unless it is a
-- retraction. A return that is not shared shows nothing: at most a retraction, which is left
-- out. tests/api/test_overview_api.py holds it to visible_values at every position of a
-- history with restatements, retractions, unsigned values and restatements after sign-off.
-- Reading one month this way took 12 ms where visible_to_all took 37 (docs/benchmarks.md,
-- sixth round): its plan and its scans are those of every month.
CREATE OR REPLACE MACRO visible_to_all_in_month(pos, moment, measure, month) AS TABLE
WITH catalogue AS (
    SELECT due_days_after_month_end AS due_days FROM catalogue_versions
    WHERE position = catalogue_position_at(pos)
),
window_open AS (
    SELECT NOT coalesce(open_to_all(month, c.due_days, pos, moment), false) AS still_open
    FROM catalogue AS c
),
signed_off AS (
    SELECT return_id, max(covers_version) AS covers
    FROM return_events
    WHERE period = month AND position <= pos AND event_type = 'signed_off'
    GROUP BY return_id
),
shared_returns AS (
    SELECT s.return_id, s.covers
    FROM signed_off AS s CROSS JOIN window_open AS w
    WHERE NOT w.still_open
),
value_events AS (
    SELECT position FROM return_events
    WHERE period = month AND position <= pos
      AND event_type IN ('submitted', 'restated', 'retracted')
      AND return_id IN (SELECT return_id FROM shared_returns)
),
seen AS (
    SELECT v.org_code, v.measure_code, v.period, v.value, v.numerator, v.denominator,
           v.status, v.position
    FROM value_versions AS v
    JOIN shared_returns AS s USING (return_id)
    WHERE v.position IN (SELECT position FROM value_events)
      AND v.measure_code = measure AND v.period = month
      AND (v.return_version <= s.covers OR v.status = 'retracted')
)
SELECT org_code, measure_code, period,
       arg_max(value, position) AS value,
       arg_max(numerator, position) AS numerator,
       arg_max(denominator, position) AS denominator,
       max(position) AS position
FROM seen
GROUP BY org_code, measure_code, period
HAVING arg_max(status, position) <> 'retracted';
