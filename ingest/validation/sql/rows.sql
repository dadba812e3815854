-- Validation, step 6: the accepted rows (only asked for when there is no error). Run by name.

-- name: checked_rows
-- CHECKED_SCHEMA order, diffed against what is held: 'unchanged' only when value, numerator and
-- denominator are all the same (NULLs included), so a re-upload of the same return is a no-op.
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
