-- Validation, step 2: errors about who, what and when a row is for. Any error rejects the
-- upload. Every statement of this file runs, in order; each check adds its failing cells to
-- `issues` with a message that names the value given, the rule and the fix.

-- name: create_issues
CREATE TEMP TABLE issues (
    "row" BIGINT,
    col VARCHAR,  -- NULL when the problem is the whole row or file
    code VARCHAR,
    severity VARCHAR,
    message VARCHAR
);

-- name: no_rows
INSERT INTO issues
SELECT 0, NULL, 'no_rows', 'error',
    'the upload has no data rows: fill in one row per member, measure and month under the header'
WHERE NOT EXISTS (SELECT 1 FROM cells);

-- name: formula_cell
-- A cell that a spreadsheet would run as a formula when someone opens an export of the data.
INSERT INTO issues
SELECT "row", col, 'formula_cell', 'error',
    col || ' ' || shown(text) || ' starts with ''' || left(text, 1)
    || ''', so a spreadsheet would run it as a formula; Concord refuses such cells to keep '
    || 'exports safe: type the plain value instead'
FROM (
    UNPIVOT (
        SELECT "row", org_given AS org_code, measure AS measure_code, period_text AS period,
            value_text AS value, numerator_text AS numerator, denominator_text AS denominator,
            comment
        FROM cells
    )
    ON org_code, measure_code, period, value, numerator, denominator, comment
    INTO NAME col VALUE text
)
WHERE starts_with(text, '=')
    OR (col IN ('org_code', 'measure_code', 'comment') AND left(text, 1) IN ('+', '@'));

-- name: missing_org
INSERT INTO issues
SELECT "row", 'org_code', 'missing_org', 'error',
    'org_code is empty: give the code of the member this row reports for'
FROM cells
WHERE org IS NULL;

-- name: wrong_member
INSERT INTO issues
SELECT "row", 'org_code', 'wrong_member', 'error',
    'org_code ' || shown(org_given) || ' is not the member this upload is for (' || $on_behalf_of
    || '): every row must be for ' || $on_behalf_of || '; correct the code or leave it empty'
FROM cells
WHERE org_given <> $on_behalf_of;

-- name: unknown_member
-- Suggestions are worked out only for the codes that can be listed, so a garbage file with
-- thousands of distinct codes stays cheap.
INSERT INTO issues
WITH failing AS (
    SELECT "row", org FROM cells
    WHERE org IS NOT NULL AND NOT member_known
        AND ($on_behalf_of IS NULL OR org = $on_behalf_of)
),

suggested AS (
    SELECT org, closest_codes(upper(org), catalogue.codes) AS codes
    FROM (SELECT DISTINCT org FROM (SELECT org FROM failing ORDER BY "row" LIMIT $max_per_code))
    CROSS JOIN (SELECT list(code) AS codes FROM members) AS catalogue
)

SELECT failing."row", 'org_code', 'unknown_member', 'error',
    'org_code ' || shown(failing.org) || ' is not a member of this alliance'
    || did_you_mean(coalesce(suggested.codes, []),
        '; check the code against the alliance''s member list')
FROM failing
LEFT JOIN suggested ON suggested.org = failing.org;

-- name: missing_measure
INSERT INTO issues
SELECT "row", 'measure_code', 'missing_measure', 'error',
    'measure_code is empty: give the catalogue code of the measure this row reports'
FROM cells
WHERE measure IS NULL;

-- name: unknown_measure
INSERT INTO issues
WITH failing AS (
    SELECT "row", measure FROM cells WHERE measure IS NOT NULL AND NOT measure_known
),

suggested AS (
    SELECT measure, closest_codes(lower(measure), catalogue.codes) AS codes
    FROM (SELECT DISTINCT measure FROM (
        SELECT measure FROM failing ORDER BY "row" LIMIT $max_per_code))
    CROSS JOIN (SELECT list(code) AS codes FROM measures) AS catalogue
)

SELECT failing."row", 'measure_code', 'unknown_measure', 'error',
    'measure_code ' || shown(failing.measure) || ' is not in the alliance''s KPI catalogue'
    || did_you_mean(coalesce(suggested.codes, []),
        '; check the code against the catalogue''s list of measures')
FROM failing
LEFT JOIN suggested ON suggested.measure = failing.measure;

-- name: missing_period
INSERT INTO issues
SELECT "row", 'period', 'missing_period', 'error',
    'period is empty: give the month this row reports as YYYY-MM, e.g. 2024-03'
FROM cells
WHERE period_text IS NULL;

-- name: bad_period_format
INSERT INTO issues
SELECT "row", 'period', 'bad_period', 'error',
    'period ' || shown(period_text) || ' is not a month in the form YYYY-MM (month 01 to 12)'
    || coalesce('; did you mean ' || period_guess(period_text) || '?',
        ': write it like 2024-03')
FROM cells
WHERE period_text IS NOT NULL AND period_date IS NULL;

-- name: bad_period_before_first
INSERT INTO issues
SELECT "row", 'period', 'bad_period', 'error',
    'period ' || period_text || ' is before this alliance''s first reporting month, '
    || strftime($first_period, '%Y-%m') || ': returns start from that month'
FROM cells
WHERE period_date < $first_period;

-- name: future_period
INSERT INTO issues
SELECT "row", 'period', 'future_period', 'error',
    'period ' || period_text || ' has not ended yet (today is ' || strftime($today, '%Y-%m-%d')
    || '): a month''s return can be submitted from the first day of the next month'
FROM cells
WHERE period_date >= date_trunc('month', $today) AND period_date >= $first_period;

-- name: locked_period
-- A return locks `due_days` after its month ends plus `lock_days`; an admin may unlock it.
INSERT INTO issues
SELECT "row", 'period', 'locked_period', 'error',
    'the return for ' || org || ' ' || period_text || ' locked on '
    || strftime(last_day(period_date) + $lock_offset_days, '%Y-%m-%d')
    || ' (' || $due_days || ' days after the month ended to the due date, then '
    || $lock_days || ' more): ask an alliance admin to unlock it for ' || org
    || ' if it must change'
FROM cells
WHERE period_date >= $first_period
    AND last_day(period_date) + $lock_offset_days < $today
    AND NOT EXISTS (
        SELECT 1 FROM unlocked
        WHERE unlocked.org_code = cells.org AND unlocked.period = cells.period_date
            AND unlocked.unlocked_until >= $today
    );

-- name: duplicate_row
INSERT INTO issues
SELECT "row", NULL, 'duplicate_row', 'error',
    'this row repeats ' || org || ' / ' || measure || ' / ' || period_text || ' from row '
    || first_row || ': give each member, measure and month once (delete or merge one of them)'
FROM cells
WHERE org IS NOT NULL AND measure IS NOT NULL AND period_text IS NOT NULL
    AND "row" > first_row;
