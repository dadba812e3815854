-- Validation, step 4: warnings. The return is still accepted; the analyst is asked to look.
-- Every statement of this file runs, in order. Outliers and large changes are judged only on
-- rows without errors (a figure that cannot be read has no meaningful size). Warnings write
-- their own messages: they need statistics the row does not hold, and stay few.

-- name: create_clean_rows
-- Rows without errors, with what is held for the same member, measure and month.
CREATE TEMP TABLE clean_rows AS
SELECT
    cells.rowid AS cell,
    cells."row",
    cells.org,
    cells.measure,
    cells.period_text,
    cells.period_date,
    cells.value_out,
    cells.numerator_num,
    cells.denominator_num,
    cells.comment,
    held.org_code IS NOT NULL AS held_exists,
    held.value AS previous_value,
    held.numerator AS previous_numerator,
    held.denominator AS previous_denominator
FROM cells
LEFT JOIN held
    ON held.org_code = cells.org
    AND held.measure_code = cells.measure
    AND held.period = cells.period_date
WHERE NOT EXISTS (
    SELECT 1 FROM found WHERE found.cell = cells.rowid AND found.severity = 'error'
);

-- name: missing_measures
-- One warning per member and month in the upload, listing the measures expected from that
-- member (its type is in the measure's applies_to, or applies_to is empty) that are neither in
-- the upload (even on a row with errors) nor already held.
INSERT INTO found (cell, "row", col, code, severity, message, org_code, period)
WITH returns AS (
    SELECT DISTINCT org, period_date FROM cells
    WHERE member_known AND period_date >= $first_period
        AND period_date < date_trunc('month', $today)
),

-- Which measures each member type owes: the OR condition is evaluated per type (a handful),
-- so the per-return join below is a plain hash join (a nested loop over every return cost 0.7 s
-- for a million-value upload).
type_measures AS (
    SELECT member_types.type, measures.code
    FROM (SELECT DISTINCT type FROM members) AS member_types
    JOIN measures
        ON len(measures.applies_to) = 0 OR list_contains(measures.applies_to, member_types.type)
),

expected_count AS (
    SELECT type, count(*) AS n_expected FROM type_measures GROUP BY type
),

-- How many of its expected measures each return has in the upload. A return the upload
-- completes (the usual case) is not looked at again: anti-joining every expected measure of
-- every return against a million cells cost 0.4 s for a million-value upload.
given AS (
    SELECT cells.org, cells.period_date, count(*) AS n_given
    FROM cells
    JOIN members ON members.code = cells.org
    JOIN type_measures ON type_measures.type = members.type AND type_measures.code = cells.measure
    ANTI JOIN repeats ON repeats.cell = cells.rowid  -- a repeated row counts once
    GROUP BY cells.org, cells.period_date
),

incomplete AS (
    SELECT returns.org, returns.period_date, members.type, expected_count.n_expected
    FROM returns
    JOIN members ON members.code = returns.org
    JOIN expected_count ON expected_count.type = members.type
    LEFT JOIN given ON given.org = returns.org AND given.period_date = returns.period_date
    WHERE coalesce(given.n_given, 0) < expected_count.n_expected
),

expected AS (
    SELECT incomplete.org, incomplete.period_date, type_measures.code, incomplete.n_expected
    FROM incomplete
    JOIN type_measures ON type_measures.type = incomplete.type
),

-- What the upload and the warehouse hold of those returns only: the anti-joins below build
-- their hash tables from these, not from every cell and every held value.
incomplete_cells AS (
    SELECT cells.org, cells.period_date, cells.measure FROM cells
    SEMI JOIN incomplete
        ON incomplete.org = cells.org AND incomplete.period_date = cells.period_date
),

incomplete_held AS (
    SELECT held.org_code, held.period, held.measure_code FROM held
    SEMI JOIN incomplete
        ON incomplete.org = held.org_code AND incomplete.period_date = held.period
),

absent AS (
    SELECT expected.* FROM expected
    ANTI JOIN incomplete_cells AS cells
        ON cells.org = expected.org AND cells.period_date = expected.period_date
            AND cells.measure = expected.code
    ANTI JOIN incomplete_held AS held
        ON held.org_code = expected.org AND held.period = expected.period_date
            AND held.measure_code = expected.code
)

SELECT NULL, 0, 'measure_code', 'missing_measures', 'warning',
    org || ' ' || strftime(period_date, '%Y-%m') || ': ' || count(*) || ' of the '
    || any_value(n_expected) || ' measures expected from ' || org || ' are neither in this '
    || 'upload nor already held: ' || string_agg(code, ', ' ORDER BY code)
    || '; add them in a later upload when they are available',
    org, strftime(period_date, '%Y-%m')
FROM absent
GROUP BY org, period_date;

-- name: outlier
-- Robust z-score against the member's own recent history; unchanged re-uploads are not
-- flagged again. Runs once per part ($part of $parts, validator.py): each series (member,
-- measure) belongs to one part, so each run joins a part's candidates with that part's history
-- only. A restatement of a million values would otherwise hold its 24 million history rows at
-- once (about 750 MB); in four parts it takes the same time and a third of the memory.
INSERT INTO found (cell, "row", col, code, severity, message)
WITH candidates AS (
    SELECT cell, "row", org, measure, period_date, value_out AS x
    FROM clean_rows
    WHERE value_out IS NOT NULL AND previous_value IS DISTINCT FROM value_out
      AND hash(org, measure) % $parts = $part
),

held_part AS (
    SELECT org_code, measure_code, period, value
    FROM held
    WHERE hash(org_code, measure_code) % $parts = $part
),

history AS (
    SELECT candidates.cell, any_value(candidates."row") AS "row",
        any_value(candidates.org) AS org,
        any_value(candidates.measure) AS measure, any_value(candidates.x) AS x,
        count(*) AS n, median(held.value) AS centre, mad(held.value) AS spread
    FROM candidates
    JOIN held_part AS held
        ON held.org_code = candidates.org
        AND held.measure_code = candidates.measure
        AND held.period < candidates.period_date
        AND held.period >= CAST(candidates.period_date - to_months($outlier_window) AS DATE)
    WHERE isfinite(held.value)
    GROUP BY candidates.cell
    HAVING count(*) >= $outlier_min_history
),

scored AS (
    SELECT *, CASE WHEN spread > 0 THEN abs(x - centre) / (1.4826 * spread) END AS z
    FROM history
)

SELECT cell, "row", 'value', 'outlier', 'warning',
    'value ' || num(x) || ' is unusual for ' || org || '''s ' || measure || ': '
    || CASE WHEN z IS NOT NULL
        THEN 'robust z-score ' || printf('%.1f', z) || ' > ' || num($outlier_z)
            || ' against this member''s last ' || $outlier_window || ' months (median '
            || num(centre) || ', ' || n || ' values held)'
        ELSE 'it differs from the median ' || num(centre) || ' of this member''s last '
            || $outlier_window || ' months, where at least half of the ' || n
            || ' values held equal the median'
    END
    || '; check it, and explain it in comment if it is right'
FROM scored
WHERE z > $outlier_z OR (spread = 0 AND x <> centre);

-- name: large_change
INSERT INTO found (cell, "row", col, code, severity, message)
SELECT cell, "row", 'value', 'large_change', 'warning',
    measure || ' for ' || org || ' ' || period_text || ' changes from ' || num(previous_value)
    || ' to ' || num(value_out)
    || CASE WHEN previous_value <> 0
        THEN ' (' || printf('%+.1f', (value_out - previous_value) / abs(previous_value) * 100)
            || '%)'
        ELSE '' END
    || ', more than the ' || num($change_warning_share * 100) || '% change that is flagged: '
    || 'check this is the correction you meant'
FROM clean_rows
WHERE previous_value IS NOT NULL AND value_out IS NOT NULL
    AND abs(value_out - previous_value) / greatest(abs(previous_value), 1e-12)
        > $change_warning_share;
