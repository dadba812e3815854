-- Validation, step 3: errors in the figures (value, numerator, denominator), judged against
-- the measure's kind and valid range. Every statement of this file runs, in order; messages
-- are in messages.sql under the same code.
-- Ratio kinds (proportion, rate, ratio) are numerator / denominator * multiplier: a given value
-- must agree with that, and the derived value is what is stored.

-- name: unreadable_numbers
-- not_a_number ('12,5', 'n/a', '1 234') or not_finite (NaN, inf, 1e999), per cell.
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'value', value_state, 'error' FROM cells
WHERE value_state IN ('not_a_number', 'not_finite')
UNION ALL
SELECT rowid, "row", 'numerator', numerator_state, 'error' FROM cells
WHERE numerator_state IN ('not_a_number', 'not_finite')
UNION ALL
SELECT rowid, "row", 'denominator', denominator_state, 'error' FROM cells
WHERE denominator_state IN ('not_a_number', 'not_finite');

-- name: missing_value
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'value', 'missing_value', 'error' FROM cells
WHERE measure_known AND NOT is_ratio AND value_text IS NULL;

-- name: missing_ratio_parts
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'numerator', 'missing_numerator', 'error' FROM cells
WHERE is_ratio AND numerator_text IS NULL
UNION ALL
SELECT rowid, "row", 'denominator', 'missing_denominator', 'error' FROM cells
WHERE is_ratio AND denominator_text IS NULL;

-- name: negative_count
-- A count below 0, or a negative part of a ratio (its parts are counts or amounts).
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'value', 'negative_count', 'error' FROM cells
WHERE kind = 'count' AND value_num < 0
UNION ALL
SELECT rowid, "row", 'numerator', 'negative_count', 'error' FROM cells
WHERE is_ratio AND numerator_num < 0
UNION ALL
SELECT rowid, "row", 'denominator', 'negative_count', 'error' FROM cells
WHERE is_ratio AND denominator_num < 0;

-- name: zero_denominator
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'denominator', 'zero_denominator', 'error' FROM cells
WHERE is_ratio AND denominator_num = 0;

-- name: numerator_exceeds_denominator
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'numerator', 'numerator_exceeds_denominator', 'error' FROM cells
WHERE kind = 'proportion' AND numerator_num > denominator_num AND denominator_num > 0;

-- name: out_of_range
-- The given value, or for ratio kinds without one the derived value. A negative count is
-- reported as negative_count instead.
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'value', 'out_of_range', 'error' FROM cells
WHERE (value_checked < valid_min OR value_checked > valid_max)
    AND NOT (kind = 'count' AND value_checked < 0);

-- name: value_mismatch
-- Tolerance is absolute for small values and relative above 1, so rounding to a few decimals
-- never trips it but a wrong figure does. An out-of-range value is reported as such instead.
INSERT INTO found (cell, "row", col, code, severity)
SELECT rowid, "row", 'value', 'value_mismatch', 'error' FROM cells
WHERE is_ratio AND value_num IS NOT NULL AND derived IS NOT NULL
    AND abs(value_num - derived) > $value_tolerance * greatest(1.0, abs(derived))
    AND value_num BETWEEN coalesce(valid_min, value_num) AND coalesce(valid_max, value_num);
