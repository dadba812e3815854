-- Validation, step 5: what validate() hands back. Run by name, not in file order.

-- name: listed_issues
-- A formula cell is reported as that alone: its text would only fail other checks noisily.
-- At most $max_per_code issues of each code are listed, first rows first; `total` says how
-- many there were, so a garbage file gives a bounded report that still says how bad it is.
WITH reported AS (
    SELECT * FROM issues
    WHERE code = 'formula_cell' OR NOT EXISTS (
        SELECT 1 FROM issues AS formula
        WHERE formula.code = 'formula_cell' AND formula."row" = issues."row"
            AND formula.col = issues.col
    )
),

ranked AS (
    SELECT *,
        coalesce(list_position(['org_code', 'measure_code', 'period', 'value', 'numerator',
            'denominator', 'comment'], col), 0) AS col_position,
        count(*) OVER (PARTITION BY code) AS total
    FROM reported
),

numbered AS (
    SELECT *, row_number() OVER (PARTITION BY code ORDER BY "row", col_position, message) AS n
    FROM ranked
)

SELECT "row", col, code, severity, message, total
FROM numbered
WHERE n <= $max_per_code
ORDER BY "row", col_position, code, message;

-- name: checked_rows
-- The accepted rows in CHECKED_SCHEMA order, diffed against what is held.
SELECT
    "row",
    org AS org_code,
    measure AS measure_code,
    period_date AS period,
    value_out AS value,
    numerator_num AS numerator,
    denominator_num AS denominator,
    comment,
    CASE
        WHEN NOT held_exists THEN 'new'
        WHEN value_out IS NOT DISTINCT FROM previous_value
            AND numerator_num IS NOT DISTINCT FROM previous_numerator
            AND denominator_num IS NOT DISTINCT FROM previous_denominator THEN 'unchanged'
        ELSE 'changed'
    END AS change,
    previous_value,
    previous_numerator,
    previous_denominator
FROM clean_rows
ORDER BY "row";
