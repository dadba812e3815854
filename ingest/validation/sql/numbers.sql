-- Validation, step 3: errors in the figures (value, numerator, denominator), judged against
-- the measure's kind and valid range. Every statement of this file runs, in order.
-- Ratio kinds (proportion, rate, ratio) are numerator / denominator * multiplier; a given value
-- must agree with that, and the derived value is what is stored.

-- name: unreadable_numbers
INSERT INTO issues
WITH number_cells AS (
    SELECT "row", 'value' AS col, value_text AS text, value_state AS state, kind FROM cells
    WHERE value_state IN ('not_a_number', 'not_finite')
    UNION ALL
    SELECT "row", 'numerator', numerator_text, numerator_state, kind FROM cells
    WHERE numerator_state IN ('not_a_number', 'not_finite')
    UNION ALL
    SELECT "row", 'denominator', denominator_text, denominator_state, kind FROM cells
    WHERE denominator_state IN ('not_a_number', 'not_finite')
)

SELECT "row", col, state, 'error',
    CASE state
        WHEN 'not_finite' THEN col || ' ' || shown(text) || ' is not a finite number: give the '
            || 'actual figure (if it could not be calculated, e.g. a division by zero, leave '
            || 'the cell empty and say why in comment)'
        ELSE col || ' ' || shown(text) || ' is not a number: ' || number_hint(text, kind)
    END
FROM number_cells;

-- name: missing_value
INSERT INTO issues
SELECT "row", 'value', 'missing_value', 'error',
    'value is empty: ' || measure || ' is a ' || kind || ' measure and needs a value'
FROM cells
WHERE measure_known AND NOT is_ratio AND value_text IS NULL;

-- name: missing_ratio_parts
INSERT INTO issues
SELECT "row", part, 'missing_' || part, 'error',
    part || ' is empty: ' || measure || ' is a ' || kind || ' calculated from the numerator ('
    || numerator_label || ') and the denominator (' || denominator_label || '); give both'
FROM (
    SELECT *, 'numerator' AS part FROM cells WHERE is_ratio AND numerator_text IS NULL
    UNION ALL
    SELECT *, 'denominator' AS part FROM cells WHERE is_ratio AND denominator_text IS NULL
);

-- name: negative_count
INSERT INTO issues
SELECT "row", 'value', 'negative_count', 'error',
    'value ' || shown(value_text) || ' is negative, but ' || measure
    || ' is a count and cannot be below 0'
FROM cells
WHERE kind = 'count' AND value_num < 0
UNION ALL
SELECT "row", 'numerator', 'negative_count', 'error',
    'numerator ' || shown(numerator_text) || ' (' || numerator_label || ') is negative; '
    || 'the parts of a ' || kind || ' cannot be below 0'
FROM cells
WHERE is_ratio AND numerator_num < 0
UNION ALL
SELECT "row", 'denominator', 'negative_count', 'error',
    'denominator ' || shown(denominator_text) || ' (' || denominator_label || ') is negative; '
    || 'the parts of a ' || kind || ' cannot be below 0'
FROM cells
WHERE is_ratio AND denominator_num < 0;

-- name: zero_denominator
INSERT INTO issues
SELECT "row", 'denominator', 'zero_denominator', 'error',
    'denominator (' || denominator_label || ') is 0, so ' || measure || ' cannot be calculated: '
    || 'if there was nothing to count this month, leave this row out'
FROM cells
WHERE is_ratio AND denominator_num = 0;

-- name: numerator_exceeds_denominator
INSERT INTO issues
SELECT "row", 'numerator', 'numerator_exceeds_denominator', 'error',
    'numerator ' || num(numerator_num) || ' (' || numerator_label || ') is greater than '
    || 'the denominator ' || num(denominator_num) || ' (' || denominator_label || '); '
    || measure || ' is a proportion, so the numerator is part of the denominator: '
    || 'check the two are not swapped'
FROM cells
WHERE kind = 'proportion' AND numerator_num > denominator_num AND denominator_num > 0;

-- name: out_of_range
INSERT INTO issues
SELECT "row", 'value', 'out_of_range', 'error',
    CASE WHEN value_num IS NOT NULL THEN 'value ' || shown(value_text)
        ELSE 'the value calculated from numerator / denominator (' || num(value_checked) || ')'
    END
    || ' is outside the valid range '
    || CASE
        WHEN valid_max IS NULL THEN '(at least ' || num(valid_min) || ')'
        WHEN valid_min IS NULL THEN '(at most ' || num(valid_max) || ')'
        ELSE num(valid_min) || ' to ' || num(valid_max)
    END
    || ' for ' || measure
    || CASE WHEN kind = 'proportion'
        THEN ' (a proportion: give a fraction such as 0.95, not a percentage)'
        WHEN value_num IS NULL THEN ': check the numerator and denominator'
        ELSE '' END
FROM cells
WHERE (value_checked < valid_min OR value_checked > valid_max)
    AND NOT (kind = 'count' AND value_checked < 0);

-- name: value_mismatch
-- Tolerance is absolute for small values and relative above 1, so rounding to a few
-- decimals never trips it but a wrong figure does. Out-of-range values are reported as such.
INSERT INTO issues
SELECT "row", 'value', 'value_mismatch', 'error',
    'value ' || shown(value_text) || ' does not match numerator / denominator'
    || CASE WHEN multiplier <> 1 THEN ' × ' || num(multiplier) ELSE '' END
    || ' = ' || num(numerator_num) || ' / ' || num(denominator_num)
    || CASE WHEN multiplier <> 1 THEN ' × ' || num(multiplier) ELSE '' END
    || ' = ' || num(derived) || ' (allowed difference ' || num($value_tolerance)
    || '): correct it, or leave value empty and it will be calculated'
FROM cells
WHERE is_ratio AND value_num IS NOT NULL AND derived IS NOT NULL
    AND abs(value_num - derived) > $value_tolerance * greatest(1.0, abs(derived))
    AND value_num BETWEEN coalesce(valid_min, value_num) AND coalesce(valid_max, value_num);
