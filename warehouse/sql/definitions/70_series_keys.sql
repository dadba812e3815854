-- Series keys: the returns projection gives them (returns_projection.sql, key_new_series).
-- Definitions hold no data: warehouse/db.py re-applies every file of this folder, in name
-- order, after the migrations, each time the warehouse opens (Warehouse.migrate).

-- Integer keys for the (member, measure) series, kept on current_values with the month count,
-- so that a view over a million shared values (the board overview) finds each value's series
-- and month without joining a million strings: keying the overview's values by integers made
-- its values query about twice as fast (docs/benchmarks.md, third round).
--
-- A series' key is fixed when its first value is projected, in the order of first appearance
-- (log position, then codes), so a rebuild assigns the same keys whatever its batch size.

-- The series first seen among the value versions at positions first..last, with the keys
-- that follow those already given, in order of first appearance.
CREATE OR REPLACE MACRO new_series_keys(first, last) AS TABLE
WITH seen AS (
    SELECT org_code, measure_code, min(position) AS first_position
    FROM value_versions
    WHERE position BETWEEN first AND last
    GROUP BY org_code, measure_code
),
unkeyed AS (
    SELECT s.* FROM seen AS s
    ANTI JOIN series_keys AS k ON s.org_code = k.org_code AND s.measure_code = k.measure_code
)
SELECT CAST((SELECT coalesce(max(series_key) + 1, 0) FROM series_keys)
            + row_number() OVER (ORDER BY first_position, org_code, measure_code) - 1
            AS INTEGER) AS series_key,
       org_code, measure_code
FROM unkeyed;
