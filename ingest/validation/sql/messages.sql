-- Validation, step 5: the issues validate() lists, each with a message for a hospital analyst:
-- the value given, the rule it breaks and how to fix it; and the member, measure and month it
-- is about where known, so a warning can follow its value into the return. Run by name.

-- name: any_found
-- Whether any check found anything: a clean upload skips the message queries.
SELECT EXISTS (SELECT 1 FROM found);

-- name: any_unwritten
-- Whether a listed issue still needs its message written (an error): if not, the short query
-- at the end of this file lists them.
SELECT EXISTS (SELECT 1 FROM listed_cells WHERE message IS NULL);

-- name: create_listed_cells
-- A formula cell is reported as that alone: its text would only fail other checks noisily.
-- At most $max_per_code issues of each code are listed, first rows first, and only those get
-- a message, so a garbage file gives a bounded report cheaply; `total` says how many there were.
-- The issues listed, each with its cell and what a message needs, ready for the query below.
CREATE TEMP TABLE listed_cells AS
WITH reported AS (
    SELECT * FROM found
    WHERE code = 'formula_cell' OR NOT EXISTS (
        SELECT 1 FROM found AS formula
        WHERE formula.code = 'formula_cell' AND formula.cell = found.cell
            AND formula.col = found.col
    )
),

ranked AS (
    SELECT *, CASE col
            WHEN 'org_code' THEN 1 WHEN 'measure_code' THEN 2 WHEN 'period' THEN 3
            WHEN 'value' THEN 4 WHEN 'numerator' THEN 5 WHEN 'denominator' THEN 6
            WHEN 'comment' THEN 7 ELSE 0
        END AS col_position
    FROM reported
),

-- min_by(.., n) keeps the first n per code without sorting every issue found.
per_code AS (
    SELECT code, count(*) AS total, min_by(ranked, {
            "row": "row", col_position: col_position, cell: cell, message: message
        }, $max_per_code) AS first
    FROM ranked
    GROUP BY code
),

listed AS (
    SELECT item.*, total FROM (SELECT unnest(first) AS item, total FROM per_code)
),

issue_cells AS (
    SELECT listed.*, cells.* EXCLUDE ("row"), repeats.first_row,
        CASE listed.col
            WHEN 'org_code' THEN cells.org_given WHEN 'measure_code' THEN cells.measure
            WHEN 'period' THEN cells.period_text WHEN 'value' THEN cells.value_text
            WHEN 'numerator' THEN cells.numerator_text
            WHEN 'denominator' THEN cells.denominator_text WHEN 'comment' THEN cells.comment
        END AS text
    FROM listed
    LEFT JOIN cells ON cells.rowid = listed.cell
    LEFT JOIN repeats ON repeats.cell = listed.cell
)

SELECT *, coalesce(org, org_code) AS issue_org_code, measure AS issue_measure_code,
    coalesce(strftime(period_date, '%Y-%m'), period) AS issue_period
FROM issue_cells;

-- name: listed_issues
-- The listed issues with their messages: those the checks did not write (errors) are written
-- here, naming the value, the rule and the fix.
-- Suggestions for mistyped codes, worked out once per distinct listed code.
WITH suggested AS (
    SELECT code, text, best_codes(ranked) AS codes
    FROM (
        SELECT code, text, CASE code
                WHEN 'unknown_member' THEN ranked_codes(upper(text), catalogue.members)
                ELSE ranked_codes(lower(text), catalogue.measures)
            END AS ranked
        FROM (SELECT DISTINCT code, coalesce(text, org) AS text FROM listed_cells
              WHERE code IN ('unknown_member', 'unknown_measure'))
        CROSS JOIN (
            SELECT (SELECT list(code) FROM members) AS members,
                (SELECT list(code) FROM measures) AS measures
        ) AS catalogue
    )
)

SELECT i."row", i.col, i.code, i.severity, coalesce(i.message, CASE i.code
    WHEN 'no_rows' THEN 'the upload has no data rows: fill in one row per member, measure '
        || 'and month under the header'
    WHEN 'formula_cell' THEN i.col || ' ' || shown(i.text) || ' starts with '''
        || left(i.text, 1) || ''', so a spreadsheet would run it as a formula; Concord refuses '
        || 'such cells to keep exports safe: type the plain value instead'

    -- who and what
    WHEN 'missing_org' THEN 'org_code is empty: give the code of the member this row reports for'
    WHEN 'wrong_member' THEN 'org_code ' || shown(i.text) || ' is not the member this upload '
        || 'is for (' || $on_behalf_of || '): every row must be for ' || $on_behalf_of
        || '; correct the code or leave it empty'
    WHEN 'unknown_member' THEN 'org_code ' || shown(i.org) || ' is not a member of this '
        || 'alliance' || did_you_mean(s.codes, '; check it against the alliance''s member list')
    WHEN 'missing_measure' THEN 'measure_code is empty: give the catalogue code of the '
        || 'measure this row reports'
    WHEN 'unknown_measure' THEN 'measure_code ' || shown(i.text) || ' is not in the alliance''s '
        || 'KPI catalogue' || did_you_mean(s.codes, '; check it against the catalogue''s measures')
    WHEN 'duplicate_row' THEN 'this row repeats ' || i.org || ' / ' || i.measure || ' / '
        || i.period_text || ' from row ' || i.first_row || ': give each member, measure and '
        || 'month once (delete or merge one of the rows)'

    -- when
    WHEN 'missing_period' THEN 'period is empty: give the month this row reports as YYYY-MM, '
        || 'e.g. 2024-03'
    WHEN 'bad_period' THEN CASE WHEN i.period_date IS NULL
        THEN 'period ' || shown(i.text) || ' is not a month in the form YYYY-MM (month 01 to 12)'
            || coalesce('; did you mean ' || period_guess(i.text) || '?', ': write it like 2024-03')
        ELSE 'period ' || i.text || ' is before this alliance''s first reporting month, '
            || strftime($first_period, '%Y-%m') || ': returns start from that month' END
    WHEN 'future_period' THEN 'period ' || i.text || ' has not ended yet (today is '
        || strftime($today, '%Y-%m-%d') || '): a month''s return can be submitted from the '
        || 'first day of the next month'
    WHEN 'locked_period' THEN 'the return for ' || i.org || ' ' || i.text || ' locked on '
        || strftime(last_day(i.period_date) + $lock_offset_days, '%Y-%m-%d') || ' ('
        || $due_days || ' days after the month ended to the due date, then ' || $lock_days
        || ' more): ask an alliance admin to unlock it for ' || i.org || ' if it must change'

    -- figures
    WHEN 'not_a_number' THEN i.col || ' ' || shown(i.text) || ' is not a number: '
        || number_hint(i.text, i.kind)
    WHEN 'not_finite' THEN i.col || ' ' || shown(i.text) || ' is not a finite number: give the '
        || 'actual figure (if it could not be calculated, e.g. a division by zero, leave the '
        || 'cell empty and say why in comment)'
    WHEN 'missing_value' THEN 'value is empty: ' || i.measure || ' is a ' || i.kind
        || ' measure and needs a value'
    WHEN 'missing_numerator' THEN 'numerator is empty: ' || i.measure || ' is a ' || i.kind
        || ' calculated from the numerator (' || i.numerator_label || ') and the denominator ('
        || i.denominator_label || '); give both'
    WHEN 'missing_denominator' THEN 'denominator is empty: ' || i.measure || ' is a ' || i.kind
        || ' calculated from the numerator (' || i.numerator_label || ') and the denominator ('
        || i.denominator_label || '); give both'
    WHEN 'negative_count' THEN i.col || ' ' || shown(i.text) || CASE i.col
        WHEN 'value' THEN ' is negative, but ' || i.measure || ' is a count and cannot be below 0'
        WHEN 'numerator' THEN ' (' || i.numerator_label || ') is negative; the parts of a '
            || i.kind || ' cannot be below 0'
        ELSE ' (' || i.denominator_label || ') is negative; the parts of a ' || i.kind
            || ' cannot be below 0' END
    WHEN 'zero_denominator' THEN 'denominator (' || i.denominator_label || ') is 0, so '
        || i.measure || ' cannot be calculated: if there was nothing to count this month, '
        || 'leave this row out'
    WHEN 'numerator_exceeds_denominator' THEN 'numerator ' || num(i.numerator_num) || ' ('
        || i.numerator_label || ') is greater than the denominator ' || num(i.denominator_num)
        || ' (' || i.denominator_label || '); ' || i.measure || ' is a proportion, so the '
        || 'numerator is part of the denominator: check the two are not swapped'
    WHEN 'out_of_range' THEN CASE WHEN i.value_num IS NOT NULL
            THEN 'value ' || shown(i.text)
            ELSE 'the value calculated from numerator / denominator (' || num(i.value_checked)
                || ')' END
        || ' is outside the valid range ' || range_text(i.valid_min, i.valid_max) || ' for '
        || i.measure || CASE
            WHEN i.kind = 'proportion'
                THEN ' (a proportion: give a fraction such as 0.95, not a percentage)'
            WHEN i.value_num IS NULL THEN ': check the numerator and denominator'
            ELSE '' END
    WHEN 'value_mismatch' THEN 'value ' || shown(i.text) || ' does not match numerator / '
        || 'denominator' || CASE WHEN i.multiplier <> 1 THEN ' × ' || num(i.multiplier) ELSE '' END
        || ' = ' || num(i.numerator_num) || ' / ' || num(i.denominator_num)
        || CASE WHEN i.multiplier <> 1 THEN ' × ' || num(i.multiplier) ELSE '' END
        || ' = ' || num(i.derived) || ' (allowed difference ' || num($value_tolerance)
        || '): correct it, or leave value empty and it will be calculated'
END) AS message,
    i.total, i.issue_org_code, i.issue_measure_code, i.issue_period
FROM listed_cells AS i
LEFT JOIN suggested AS s ON s.code = i.code AND s.text = coalesce(i.text, i.org)
ORDER BY i."row", i.col_position, i.code, message;


-- name: listed_written_issues
-- The same when every listed issue has its message already (warnings write their own): the
-- query above took 45 ms to plan, whatever the upload's size.
SELECT i."row", i.col, i.code, i.severity, i.message, i.total, i.issue_org_code,
    i.issue_measure_code, i.issue_period
FROM listed_cells AS i
ORDER BY i."row", i.col_position, i.code, i.message;
