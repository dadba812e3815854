-- name: key_new_series
-- Series first seen in the batch at positions $1..$2 get their integer keys (migration 010),
-- before any of their values reach current_values.
INSERT INTO series_keys
SELECT series_key, org_code, measure_code FROM new_series_keys($1, $2);

-- name: append_first_current_values
-- A batch of first submissions only: each key appears once and replaces nothing. Its value
-- versions are exactly those at the batch's positions ($1 first, $2 last); DuckDB reads its
-- own columns faster than the batch's Arrow table.
INSERT INTO current_values BY NAME
SELECT v.* EXCLUDE (return_version, reason, comment), k.series_key,
       month_index_of(v.period) AS month_index
FROM value_versions AS v
JOIN series_keys AS k ON v.org_code = k.org_code AND v.measure_code = k.measure_code
WHERE v.position BETWEEN $1 AND $2;

-- name: drop_replaced_current_values
DELETE FROM current_values AS c
USING incoming_values AS i
WHERE c.org_code = i.org_code AND c.measure_code = i.measure_code AND c.period = i.period;

-- name: insert_current_values
-- The newest version per key in the batch at positions $1..$2 replaces what was held.
INSERT INTO current_values BY NAME
SELECT v.* EXCLUDE (return_version, reason, comment), k.series_key,
       month_index_of(v.period) AS month_index
FROM value_versions AS v
JOIN series_keys AS k ON v.org_code = k.org_code AND v.measure_code = k.measure_code
WHERE v.position BETWEEN $1 AND $2
QUALIFY row_number() OVER (PARTITION BY v.org_code, v.measure_code, v.period
                           ORDER BY v.position DESC) = 1;

-- name: recompute_returns
-- Rebuild the state of the returns touched by this batch from their full event history.
INSERT OR REPLACE INTO returns
WITH touched AS (SELECT DISTINCT return_id FROM incoming_events),
events AS (
    SELECT e.* FROM return_events AS e JOIN touched USING (return_id)
),
value_changes AS (
    SELECT * FROM events WHERE event_type IN ('submitted', 'restated', 'retracted')
),
sign_offs AS (
    SELECT return_id, position, recorded_at, actor, covers_version
    FROM events WHERE event_type = 'signed_off'
),
latest_sign_off AS (
    SELECT return_id, arg_max(covers_version, position) AS covers_version,
           max(recorded_at) AS signed_off_at, arg_max(actor, position) AS signed_off_by
    FROM sign_offs GROUP BY return_id
),
after_sign_off AS (
    SELECT r.return_id, sum(r.value_count) AS restated_values
    FROM value_changes AS r
    WHERE r.event_type = 'restated'
      AND EXISTS (SELECT 1 FROM sign_offs AS s
                  WHERE s.return_id = r.return_id AND s.position < r.position)
    GROUP BY r.return_id
),
final AS (
    SELECT
        e.return_id,
        any_value(e.org_code) AS org_code,
        any_value(e.period) AS period,
        max(e.version) AS version,
        coalesce(max(e.version) FILTER (WHERE e.event_type IN ('submitted', 'restated', 'retracted')), 0) AS values_version,
        min(e.recorded_at) AS opened_at,
        min(e.recorded_at) FILTER (WHERE e.event_type IN ('submitted', 'restated')) AS first_received_at,
        max(e.recorded_at) FILTER (WHERE e.event_type IN ('submitted', 'restated')) AS last_received_at,
        count(*) FILTER (WHERE e.event_type = 'submitted') AS submissions,
        count(*) FILTER (WHERE e.event_type = 'restated') AS restatements,
        coalesce(sum(e.value_count) FILTER (WHERE e.event_type = 'restated'), 0) AS restated_values,
        count(*) FILTER (WHERE e.event_type = 'retracted') AS retractions,
        arg_max(e.unlocked_until, e.position) FILTER (WHERE e.event_type = 'unlocked') AS unlocked_until,
        max(e.position) AS last_position
    FROM events AS e
    GROUP BY e.return_id
)
SELECT f.return_id, f.org_code, f.period, f.version, f.values_version, f.opened_at,
       f.first_received_at, f.last_received_at, f.submissions, f.restatements,
       f.restated_values, f.retractions, coalesce(a.restated_values, 0),
       s.covers_version, s.signed_off_at, s.signed_off_by, f.unlocked_until, f.last_position
FROM final AS f
LEFT JOIN latest_sign_off AS s USING (return_id)
LEFT JOIN after_sign_off AS a USING (return_id);

-- name: compute_changed_spans
-- The shared-view spans (migration 011) of every return with a sign-off or a retraction at
-- positions $1..$2, recomputed from its whole history (definitions/55_shared_spans.sql).
CREATE TEMP TABLE changed_spans AS
SELECT * FROM shared_spans_of_changed_returns($1, $2);

-- name: drop_changed_shared_current
-- Those returns' open spans are replaced: their shown value may have changed or ended.
DELETE FROM shared_current
WHERE return_id IN (SELECT return_id FROM return_events
                    WHERE position BETWEEN $1 AND $2
                      AND event_type IN ('signed_off', 'retracted'));

-- name: insert_changed_shared_current
INSERT INTO shared_current BY NAME
SELECT * EXCLUDE (shared_until) FROM changed_spans WHERE shared_until IS NULL;

-- name: append_closed_spans
-- Only spans that ended in this batch ($1 first position): earlier ones are held already and
-- no later event changes them. Appended in the order they ended (migration 011 says why).
INSERT INTO shared_closed BY NAME
SELECT * FROM changed_spans WHERE shared_until >= $1 ORDER BY shared_until;

-- name: drop_changed_spans
DROP TABLE changed_spans;
