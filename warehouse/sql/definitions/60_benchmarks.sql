-- Shared values and the alliance benchmarks computed from them.
-- Definitions hold no data: warehouse/db.py re-applies every file of this folder, in name
-- order, after the migrations, each time the warehouse opens (Warehouse.migrate).

-- Each value the viewer may see (latest visible version), judged against the small-number
-- rule of the catalogue in force at pos. Suppressed values come out as NULL; `small_number`
-- rows never enter statistics, whoever is looking.
CREATE OR REPLACE MACRO shared_values(pos, moment, viewer, sees_all) AS TABLE
WITH measures AS (
    SELECT measure_code, kind, small_number_threshold
    FROM measure_versions WHERE position = catalogue_position_at(pos)
),
judged AS (
    SELECT v.org_code, v.measure_code, v.period, v.value, v.numerator, v.denominator,
           v.position, v.restatements,
           is_small_number(m.kind, m.small_number_threshold, v.value, v.denominator)
               AS small_number,
           m.kind, m.small_number_threshold
    FROM visible_values(pos, moment, viewer, sees_all) AS v
    JOIN measures AS m USING (measure_code)
),
final AS (
    SELECT org_code, measure_code, period, position, restatements, small_number,
           is_suppressed(small_number, org_code, viewer, sees_all) AS suppressed,
           CASE WHEN small_number THEN small_number_reason(kind, small_number_threshold) END
               AS suppression_reason,
           CASE WHEN is_suppressed(small_number, org_code, viewer, sees_all) THEN NULL
                ELSE value END AS value,
           CASE WHEN is_suppressed(small_number, org_code, viewer, sees_all) THEN NULL
                ELSE numerator END AS numerator,
           CASE WHEN is_suppressed(small_number, org_code, viewer, sees_all) THEN NULL
                ELSE denominator END AS denominator
    FROM judged
)
SELECT org_code, measure_code, period, value, numerator, denominator, position,
       restatements, small_number, suppressed, suppression_reason
FROM final;

-- Every reportable value once per cell it belongs to: the alliance (peer_group_code NULL)
-- and each peer group its member belongs to at pos. Members outside the catalogue at pos
-- and small numbers are left out.
CREATE OR REPLACE MACRO benchmark_cells(pos, moment, viewer, sees_all) AS TABLE
WITH reportable AS (
    SELECT org_code, measure_code, period, value, numerator, denominator
    FROM shared_values(pos, moment, viewer, sees_all)
    WHERE NOT small_number AND value IS NOT NULL
),
members AS (
    SELECT org_code, peer_groups FROM member_versions
    WHERE position = catalogue_position_at(pos)
),
final AS (
    SELECT CAST(NULL AS VARCHAR) AS peer_group_code, r.*
    FROM reportable AS r JOIN members AS m USING (org_code)
    UNION ALL
    SELECT unnest(m.peer_groups) AS peer_group_code, r.*
    FROM reportable AS r JOIN members AS m USING (org_code)
)
SELECT peer_group_code, org_code, measure_code, period, value, numerator, denominator
FROM final;

-- Direction-aware rank (1 = best: highest for increase and neutral, lowest for decrease) and
-- percentile (share of the other members in the cell this one does at least as well as;
-- 100 when alone) of each reportable value in each cell. Blank in peer cells that are too small.
CREATE OR REPLACE MACRO benchmark_ranks(pos, moment, viewer, sees_all) AS TABLE
WITH cells AS (SELECT * FROM benchmark_cells(pos, moment, viewer, sees_all)),
measures AS (
    SELECT measure_code, improvement FROM measure_versions
    WHERE position = catalogue_position_at(pos)
),
settings AS (
    SELECT min_peer_group_size FROM catalogue_versions
    WHERE position = catalogue_position_at(pos)
),
ranked AS (
    SELECT c.peer_group_code, c.org_code, c.measure_code, c.period,
           count(*) OVER (PARTITION BY c.peer_group_code, c.measure_code, c.period) AS n,
           rank() OVER (PARTITION BY c.peer_group_code, c.measure_code, c.period
                        ORDER BY CASE WHEN m.improvement = 'decrease' THEN c.value
                                      ELSE -c.value END) AS raw_rank
    FROM cells AS c JOIN measures AS m USING (measure_code)
),
final AS (
    SELECT r.peer_group_code, r.org_code, r.measure_code, r.period, r.n,
           CASE WHEN r.peer_group_code IS NULL THEN NULL
                ELSE peer_cell_blank_reason(r.n, s.min_peer_group_size) END AS blank_reason,
           r.raw_rank
    FROM ranked AS r CROSS JOIN settings AS s
)
SELECT peer_group_code, org_code, measure_code, period, n, blank_reason,
       CASE WHEN blank_reason IS NULL THEN raw_rank END AS rank,
       CASE WHEN blank_reason IS NOT NULL THEN NULL
            WHEN n = 1 THEN 100.0
            ELSE round(100.0 * (n - raw_rank) / (n - 1), 1) END AS percentile
FROM final;

-- Statistics of each cell that has any reportable value: the pooled value (Σnumerator /
-- Σdenominator × multiplier for ratio kinds, the mean of values otherwise), quartiles
-- (continuous), min, max and n. Peer cells below min_peer_group_size are blank, with the reason.
CREATE OR REPLACE MACRO benchmark_stats(pos, moment, viewer, sees_all) AS TABLE
WITH cells AS (SELECT * FROM benchmark_cells(pos, moment, viewer, sees_all)),
measures AS (
    SELECT measure_code, kind, multiplier FROM measure_versions
    WHERE position = catalogue_position_at(pos)
),
settings AS (
    SELECT min_peer_group_size FROM catalogue_versions
    WHERE position = catalogue_position_at(pos)
),
aggregated AS (
    SELECT c.peer_group_code, c.measure_code, c.period, count(*) AS n,
           -- Sums over lists in member order: a float sum whose order depended on threads
           -- could differ in the last digit, and a snapshot must reproduce exactly.
           CASE WHEN any_value(m.kind) IN ('proportion', 'rate', 'ratio')
                THEN list_sum(list(c.numerator ORDER BY c.org_code))
                     / nullif(list_sum(list(c.denominator ORDER BY c.org_code)), 0)
                     * any_value(m.multiplier)
                ELSE list_avg(list(c.value ORDER BY c.org_code)) END AS pooled,
           quantile_cont(c.value, 0.5) AS median,
           quantile_cont(c.value, 0.25) AS q1,
           quantile_cont(c.value, 0.75) AS q3,
           min(c.value) AS min,
           max(c.value) AS max
    FROM cells AS c JOIN measures AS m USING (measure_code)
    GROUP BY c.peer_group_code, c.measure_code, c.period
),
final AS (
    SELECT a.*,
           CASE WHEN a.peer_group_code IS NULL THEN NULL
                ELSE peer_cell_blank_reason(a.n, s.min_peer_group_size) END AS blank_reason
    FROM aggregated AS a CROSS JOIN settings AS s
)
SELECT peer_group_code, measure_code, period, n, blank_reason,
       CASE WHEN blank_reason IS NULL THEN pooled END AS pooled,
       CASE WHEN blank_reason IS NULL THEN median END AS median,
       CASE WHEN blank_reason IS NULL THEN q1 END AS q1,
       CASE WHEN blank_reason IS NULL THEN q3 END AS q3,
       CASE WHEN blank_reason IS NULL THEN min END AS min,
       CASE WHEN blank_reason IS NULL THEN max END AS max
FROM final;
