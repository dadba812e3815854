-- The small-number rule as a mask, for reads of a million values (the board overview): the
-- value, or NULL where it is a small number. It is exactly
--     CASE WHEN is_below_small_number_cuts(value_below, denominator_below, value, denominator)
--          THEN NULL ELSE value END
-- of 007: a CASE takes a NULL condition as false, as the rule's coalesces do, so the
-- comparisons need no coalesce, and DuckDB masks a million values in about two thirds of the
-- time. tests/unit/test_benchmarks_rules.py holds the two equal in every case. Macros hold no
-- data, so rebuild and checksums are unaffected.
CREATE MACRO value_unless_small_number(value_below, denominator_below, value, denominator) AS
    CASE WHEN value < value_below OR denominator < denominator_below THEN NULL ELSE value END;
