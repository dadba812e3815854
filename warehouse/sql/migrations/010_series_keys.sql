-- Integer keys for the (member, measure) series, kept on current_values with the month count,
-- so that a view over a million shared values (the board overview) finds each value's series
-- and month without joining a million strings: keying the overview's values by integers made
-- its values query about twice as fast (docs/benchmarks.md, third round).
--
-- A series' key is fixed when its first value is projected, in the order of first appearance
-- (log position, then codes), so a rebuild assigns the same keys whatever its batch size.

-- Months counted from year 0: month_index_of(DATE '2024-03-01') = 2024 * 12 + 2.
CREATE MACRO month_index_of(period) AS
    CAST(year(period) * 12 + month(period) - 1 AS INTEGER);

CREATE TABLE series_keys (
    series_key   INTEGER NOT NULL,
    org_code     VARCHAR NOT NULL,
    measure_code VARCHAR NOT NULL
);

-- The series first seen among the value versions at positions first..last, with the keys
-- that follow those already given, in order of first appearance.
CREATE MACRO new_series_keys(first, last) AS TABLE
WITH seen AS (
    SELECT org_code, measure_code, min(position) AS first_position
    FROM value_versions
    WHERE position BETWEEN first AND last
    GROUP BY org_code, measure_code
),
unkeyed AS (
    SELECT s.* FROM seen AS s
    ANTI JOIN series_keys AS k ON s.org_code = k.org_code AND s.measure_code = k.measure_code
)
SELECT CAST((SELECT coalesce(max(series_key) + 1, 0) FROM series_keys)
            + row_number() OVER (ORDER BY first_position, org_code, measure_code) - 1
            AS INTEGER) AS series_key,
       org_code, measure_code
FROM unkeyed;

INSERT INTO series_keys
SELECT series_key, org_code, measure_code
FROM new_series_keys(0, (SELECT coalesce(max(position), 0) FROM value_versions));

ALTER TABLE current_values ADD COLUMN series_key INTEGER;
ALTER TABLE current_values ADD COLUMN month_index INTEGER;

UPDATE current_values AS c
SET series_key = k.series_key, month_index = month_index_of(c.period)
FROM series_keys AS k
WHERE c.org_code = k.org_code AND c.measure_code = k.measure_code;

-- visible_to_all of 006, now also giving each value's series_key and month_index, and
-- closing the window with the calendar macros of 009 (the same moment as 006's arithmetic:
-- the end of the due date is the first of the next month plus the due days). The rest of its
-- text, and the reasoning in 006's header, unchanged.
CREATE OR REPLACE MACRO visible_to_all(pos, moment, measure) AS TABLE
WITH catalogue AS (
    SELECT due_days_after_month_end AS due_days FROM catalogue_versions
    WHERE position = (SELECT max(position) FROM catalogue_versions WHERE position <= pos)
),
published AS (
    SELECT period FROM period_publications WHERE position <= pos
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
               AND (r.period IN (SELECT period FROM published)
                    OR CAST(moment AS TIMESTAMPTZ)
                       >= end_of_day(due_date_of(r.period, c.due_days))), false)
               AS shared,
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
-- A retraction is seen by everyone at once (003), so a later retraction hides a version
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
