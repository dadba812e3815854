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
-- (of one measure, or of all when `measure` is NULL), without the `restatements` count, and
-- with each value's series_key and month_index, read from the shared-view read model
-- (migration 011) instead of grouping every version of every value. The measure is an
-- argument, not a filter on the result, so that it reaches both scans.
--
-- Why it is the same: apart from its month being open to all (open_to_all: a property of the
-- month alone), whether and which version of a value everyone sees depends only on the log
-- position. The read model holds, for each value, the spans of positions over which each
-- version was the one shown once the month is open (definitions/55_shared_spans.sql), so the
-- value shown at pos is that of the span covering pos, kept if its month is open. Open spans
-- (shared_current) need only start by pos; ended ones (shared_closed) must also end after it,
-- which at the head of the log no span does. tests/api/test_overview_api.py holds it to
-- visible_values at every position of a history with restatements, retractions, unsigned
-- values and restatements after sign-off, judged before and after windows close.
-- Reading every value this way took about half the time of the previous fast path, which
-- looked up the few unsettled values among their versions (docs/benchmarks.md, seventh round).

CREATE OR REPLACE MACRO visible_to_all(pos, moment, measure) AS TABLE
WITH catalogue AS (
    SELECT due_days_after_month_end AS due_days FROM catalogue_versions
    WHERE position = catalogue_position_at(pos)
),
-- Every month with a return is a candidate; a month with none has no span.
open_months AS (
    SELECT r.period
    FROM (SELECT DISTINCT period FROM returns) AS r
    CROSS JOIN catalogue AS c
    WHERE open_to_all(r.period, c.due_days, pos, moment)
)
SELECT org_code, measure_code, period, value, numerator, denominator, position, series_key,
       month_index
FROM shared_current
WHERE shared_from <= pos AND (measure IS NULL OR measure_code = measure)
  AND period IN (SELECT period FROM open_months)
UNION ALL
SELECT org_code, measure_code, period, value, numerator, denominator, position, series_key,
       month_index
FROM shared_closed
WHERE shared_until > pos AND shared_from <= pos AND (measure IS NULL OR measure_code = measure)
  AND period IN (SELECT period FROM open_months);

-- What a member (`viewer`) may see: exactly visible_values(pos, moment, viewer, false) (of one
-- measure, or of all when `measure` is NULL), without the `restatements` count and with each
-- value's series_key and month_index. `viewer` NULL: exactly visible_to_all.
--
-- Why it is the same: visible_versions lets a member see every version of its own values, and
-- of everyone else's exactly what everyone sees; a value belongs to one member, so the two
-- parts never overlap. Its own value at pos is its latest version recorded by pos, which
-- current_values holds where the version it holds was recorded by pos; only values of the
-- member's changed since pos are looked up among the versions of their returns' value events
-- (all of a value's versions are in its return), and a retracted latest version is left out,
-- as visible_values leaves it out. Everyone else's come from visible_to_all.
-- tests/integration/test_shared_spans.py holds it to visible_values for three members at every
-- position of the tangled history. On the bench warehouse a member's view of one measure took
-- 25 ms where visible_values took 86, and of every measure 46 ms where it took 1.7 s
-- (docs/benchmarks.md, seventh round).
CREATE OR REPLACE MACRO visible_to_member(pos, moment, viewer, measure) AS TABLE
WITH own_current AS MATERIALIZED (
    SELECT org_code, measure_code, period, value, numerator, denominator, status, position,
           return_id, series_key, month_index
    FROM current_values
    WHERE org_code = viewer AND (measure IS NULL OR measure_code = measure)
),
changed AS MATERIALIZED (
    SELECT org_code, measure_code, period, return_id FROM own_current WHERE position > pos
),
changed_events AS (
    SELECT position FROM return_events
    WHERE return_id IN (SELECT return_id FROM changed) AND position <= pos
      AND event_type IN ('submitted', 'restated', 'retracted')
),
looked_up AS (
    SELECT v.org_code, v.measure_code, v.period,
           arg_max(v.value, v.position) AS value,
           arg_max(v.numerator, v.position) AS numerator,
           arg_max(v.denominator, v.position) AS denominator,
           arg_max(v.status, v.position) AS status,
           max(v.position) AS position
    FROM value_versions AS v
    SEMI JOIN changed AS c
        ON v.org_code = c.org_code AND v.measure_code = c.measure_code AND v.period = c.period
    WHERE v.position IN (SELECT position FROM changed_events)
      AND (measure IS NULL OR v.measure_code = measure)
    GROUP BY v.org_code, v.measure_code, v.period
),
own AS (
    SELECT org_code, measure_code, period, value, numerator, denominator, status, position,
           series_key, month_index
    FROM own_current WHERE position <= pos
    UNION ALL
    SELECT l.org_code, l.measure_code, l.period, l.value, l.numerator, l.denominator, l.status,
           l.position, k.series_key, month_index_of(l.period) AS month_index
    FROM looked_up AS l
    JOIN series_keys AS k ON l.org_code = k.org_code AND l.measure_code = k.measure_code
)
SELECT org_code, measure_code, period, value, numerator, denominator, position, series_key,
       month_index
FROM own WHERE status <> 'retracted'
UNION ALL
SELECT * FROM visible_to_all(pos, moment, measure)
WHERE org_code IS DISTINCT FROM viewer;

-- What everyone may see of one measure in one month: exactly
-- visible_values(pos, moment, NULL, false) WHERE measure_code = measure AND period = month,
-- for the funnel (one measure, one month), read from the shared spans through visible_to_all.
-- tests/api/test_overview_api.py holds it to visible_values at every position of a history
-- with restatements, retractions, unsigned values and restatements after sign-off. (Before the
-- spans it read the month's own returns, 12 ms where visible_to_all took 37; through the spans
-- it takes 6 ms: docs/benchmarks.md, seventh round.)
CREATE OR REPLACE MACRO visible_to_all_in_month(pos, moment, measure, month) AS TABLE
SELECT org_code, measure_code, period, value, numerator, denominator, position
FROM visible_to_all(pos, moment, measure)
WHERE period = month;
