-- Validation, step 2: errors in who, what and when a row is for. Any error rejects the upload.
-- Every statement of this file runs, in order. A check only records where it failed; the
-- message (naming the value, the rule and the fix) is in messages.sql under the same code.

-- name: no_rows
INSERT INTO found (cell, "row", col, code, severity)
SELECT NULL, 0, NULL, 'no_rows', 'error'
WHERE NOT EXISTS (SELECT 1 FROM cells);

-- name: formula_cell
-- A cell a spreadsheet would run as a formula when someone opens an export of the data:
-- '=' in any column; '+' and '@' too in the text columns, where a number never starts.
INSERT INTO found (cell, "row", col, code, severity)
WITH suspect AS (
    SELECT rowid AS cell, "row", org_given AS org_code, measure AS measure_code,
        period_text AS period, value_text AS value, numerator_text AS numerator,
        denominator_text AS denominator, comment
    FROM cells
    WHERE left(org_given, 1) IN ('=', '+', '@') OR left(measure, 1) IN ('=', '+', '@')
        OR left(comment, 1) IN ('=', '+', '@') OR starts_with(period_text, '=')
        OR starts_with(value_text, '=') OR starts_with(numerator_text, '=')
        OR starts_with(denominator_text, '=')
)

SELECT cell, "row", col, 'formula_cell', 'error'
FROM (
    UNPIVOT suspect
    ON org_code, measure_code, period, value, numerator, denominator, comment
    INTO NAME col VALUE text
)
WHERE starts_with(text, '=')
    OR (col IN ('org_code', 'measure_code', 'comment') AND left(text, 1) IN ('+', '@'));

-- name: missing_org
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'org_code', 'missing_org', 'error' FROM cells
WHERE org IS NULL;

-- name: wrong_member
-- A submitter (or the CLI's --as) uploads for one member; an empty org_code means that one.
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'org_code', 'wrong_member', 'error' FROM cells
WHERE org_given <> $on_behalf_of;

-- name: unknown_member
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'org_code', 'unknown_member', 'error' FROM cells
WHERE org IS NOT NULL AND NOT member_known AND ($on_behalf_of IS NULL OR org = $on_behalf_of);

-- name: missing_measure
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'measure_code', 'missing_measure', 'error' FROM cells
WHERE measure IS NULL;

-- name: unknown_measure
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'measure_code', 'unknown_measure', 'error' FROM cells
WHERE measure IS NOT NULL AND NOT measure_known;

-- name: missing_period
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'period', 'missing_period', 'error' FROM cells
WHERE period_text IS NULL;

-- name: bad_period
-- Not exactly YYYY-MM with a month 01 to 12, or before the alliance's first reporting month.
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'period', 'bad_period', 'error' FROM cells
WHERE (period_text IS NOT NULL AND period_date IS NULL) OR period_date < $first_period;

-- name: future_period
-- A month can be reported once it has ended.
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'period', 'future_period', 'error' FROM cells
WHERE period_date >= date_trunc('month', $today) AND period_date >= $first_period;

-- name: locked_period
-- A return locks `due_days` after its month ends plus `lock_days` (as lock_date() in
-- ingest/returns/periods.py), unless an admin unlocked that member's month until today or later.
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'period', 'locked_period', 'error' FROM cells
WHERE period_date >= $first_period
    AND last_day(period_date) + $lock_offset_days < $today
    AND NOT EXISTS (
        SELECT 1 FROM unlocked
        WHERE unlocked.org_code = cells.org AND unlocked.period = cells.period_date
            AND unlocked.unlocked_until >= $today
    );

-- name: duplicate_row
-- Every repeat of a member, measure and month after its first row.
INSERT INTO found (cell, "row", col, code, severity)
SELECT cell, "row", NULL, 'duplicate_row', 'error' FROM repeats;
