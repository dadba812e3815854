-- Migration 011's tables filled from the whole projected history, as the returns projection
-- fills them (returns_projection.sql): every return's spans, the open ones current.
DELETE FROM shared_current;
DELETE FROM shared_closed;
CREATE TEMP TABLE backfilled_spans AS
SELECT * FROM shared_spans_of_changed_returns(
    0, (SELECT coalesce(max(position), 0) FROM return_events));
INSERT INTO shared_current BY NAME
SELECT * EXCLUDE (shared_until) FROM backfilled_spans WHERE shared_until IS NULL;
INSERT INTO shared_closed BY NAME
SELECT * FROM backfilled_spans WHERE shared_until IS NOT NULL ORDER BY shared_until;
DROP TABLE backfilled_spans;
