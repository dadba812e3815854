-- Returns as the tracking pages list them.
-- Definitions hold no data: warehouse/db.py re-applies every file of this folder, in name
-- order, after the migrations, each time the warehouse opens (Warehouse.migrate).

-- Each return with the number of values it holds and whether it awaits a sign-off.
CREATE OR REPLACE VIEW return_summaries AS
WITH held AS (
    SELECT return_id, count(*) FILTER (WHERE status <> 'retracted') AS value_count
    FROM current_values GROUP BY return_id
)
SELECT r.return_id, r.org_code, r.period, r.version, coalesce(h.value_count, 0) AS value_count,
       r.first_received_at, r.last_received_at, r.restatements, r.restated_values,
       r.retractions, r.restated_after_sign_off, r.signed_off_version, r.signed_off_at,
       coalesce(h.value_count, 0) > 0
           AND r.signed_off_version IS DISTINCT FROM r.values_version AS needs_sign_off,
       r.unlocked_until
FROM returns AS r LEFT JOIN held AS h USING (return_id);
