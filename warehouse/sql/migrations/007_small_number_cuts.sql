-- The small-number rule of 004, split into its two halves so that a read of a million values
-- (the board overview) can take the per-measure half once per measure instead of once per
-- value; is_small_number is redefined on top of them, so the rule is still written once and
-- every macro of 004 (shared_values, benchmark_*) keeps using it. Macros hold no data, so
-- rebuild and checksums are unaffected.

-- Which quantity the measure's threshold applies to: a count's value, a ratio kind's
-- denominator. NULL where the threshold does not apply (other kinds, or no threshold).
CREATE MACRO small_number_value_below(kind, threshold) AS
    CASE WHEN kind = 'count' THEN threshold END;

CREATE MACRO small_number_denominator_below(kind, threshold) AS
    CASE WHEN kind IN ('proportion', 'rate', 'ratio') THEN threshold END;

-- A value is a small number when it, or its denominator, is below the cut that applies.
CREATE MACRO is_below_small_number_cuts(value_below, denominator_below, value, denominator) AS
    coalesce(value < value_below, false) OR coalesce(denominator < denominator_below, false);

-- THE small-number rule (as 004 states it: a ratio measure's denominator, or a count
-- measure's value, below the measure's small_number_threshold), from the two halves.
CREATE OR REPLACE MACRO is_small_number(kind, threshold, value, denominator) AS
    is_below_small_number_cuts(small_number_value_below(kind, threshold),
                               small_number_denominator_below(kind, threshold),
                               value, denominator);
