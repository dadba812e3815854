-- The small-number rule, its halves and its mask, and what a viewer is shown instead.
-- Definitions hold no data: warehouse/db.py re-applies every file of this folder, in name
-- order, after the migrations, each time the warehouse opens (Warehouse.migrate).

-- The small-number rule in two halves, so that a read of a million values (the board
-- overview) can take the per-measure half once per measure instead of once per value;
-- is_small_number is built on them, so the rule is written once and every benchmark macro
-- (60_benchmarks.sql) uses it.

-- Which quantity the measure's threshold applies to: a count's value, a ratio kind's
-- denominator. NULL where the threshold does not apply (other kinds, or no threshold).
CREATE OR REPLACE MACRO small_number_value_below(kind, threshold) AS
    CASE WHEN kind = 'count' THEN threshold END;

CREATE OR REPLACE MACRO small_number_denominator_below(kind, threshold) AS
    CASE WHEN kind IN ('proportion', 'rate', 'ratio') THEN threshold END;

-- A value is a small number when it, or its denominator, is below the cut that applies.
CREATE OR REPLACE MACRO is_below_small_number_cuts(value_below, denominator_below, value, denominator) AS
    coalesce(value < value_below, false) OR coalesce(denominator < denominator_below, false);

-- THE small-number rule (a ratio measure's denominator, or a count
-- measure's value, below the measure's small_number_threshold), from the two halves.
CREATE OR REPLACE MACRO is_small_number(kind, threshold, value, denominator) AS
    is_below_small_number_cuts(small_number_value_below(kind, threshold),
                               small_number_denominator_below(kind, threshold),
                               value, denominator);

-- The board overview masks its million values in numpy now (warehouse/queries/overview_values.py,
-- small_number_mask, held to is_below_small_number_cuts by tests/unit/test_benchmarks_rules.py),
-- so the SQL mask it used is retired from warehouses that still have it.
DROP MACRO IF EXISTS value_unless_small_number;

CREATE OR REPLACE MACRO small_number_reason(kind, threshold) AS
    CASE WHEN kind = 'count' THEN 'count' ELSE 'denominator' END
    || ' below the small-number threshold of ' || CAST(threshold AS VARCHAR)
    || ': hidden from other members and left out of ranks and statistics';

-- A small number stays visible to its own member and to admins; everyone else sees it suppressed.
CREATE OR REPLACE MACRO is_suppressed(small, org_code, viewer, sees_all) AS
    small AND NOT (sees_all OR org_code IS NOT DISTINCT FROM viewer);

-- A peer cell (peer group × measure × period) with fewer reportable members than the
-- catalogue's min_peer_group_size gets no peer statistics or ranks; this says why.
CREATE OR REPLACE MACRO peer_cell_blank_reason(n, min_size) AS
    CASE WHEN coalesce(n, 0) < min_size
         THEN 'fewer than ' || CAST(min_size AS VARCHAR) || ' members reported' END;

-- Validation warnings as shown to a viewer: the full message (which quotes values and the
-- member's own history) to the member and admins; to everyone else a fixed text per code.
CREATE OR REPLACE MACRO shared_warning_message(code, message, org_code, viewer, sees_all) AS
    CASE WHEN sees_all OR org_code IS NOT DISTINCT FROM viewer THEN message
         WHEN code = 'outlier' THEN 'unusual against this member''s own recent history'
         WHEN code = 'large_change' THEN 'changed by more than the flagged share when restated'
         ELSE 'flagged on validation (' || code || ')' END;
