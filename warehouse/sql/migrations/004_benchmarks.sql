-- Benchmarks: the small-number rule and the shared statistics, as macros that every benchmark,
-- scorecard and export reads through, so the rule is written once. Macros hold no data, so
-- rebuild and checksums are unaffected. Arguments as in 003: pos = log position to read at;
-- moment = when visibility is judged; viewer = the viewer's own member (may be NULL);
-- sees_all = admins.

-- The catalogue version (its log position) in force at log position pos.
CREATE MACRO catalogue_position_at(pos) AS
    (SELECT max(position) FROM catalogue_versions WHERE position <= pos);

-- THE small-number rule: a ratio measure's denominator, or a count measure's value, below
-- the measure's small_number_threshold is too small to share or to compare.
CREATE MACRO is_small_number(kind, threshold, value, denominator) AS
    threshold IS NOT NULL AND coalesce(CASE
        WHEN kind IN ('proportion', 'rate', 'ratio') THEN denominator < threshold
        WHEN kind = 'count' THEN value < threshold
    END, false);

CREATE MACRO small_number_reason(kind, threshold) AS
    CASE WHEN kind = 'count' THEN 'count' ELSE 'denominator' END
    || ' below the small-number threshold of ' || CAST(threshold AS VARCHAR)
    || ': hidden from other members and left out of ranks and statistics';

-- A small number stays visible to its own member and to admins; everyone else sees it suppressed.
CREATE MACRO is_suppressed(small, org_code, viewer, sees_all) AS
    small AND NOT (sees_all OR org_code IS NOT DISTINCT FROM viewer);

-- A peer cell (peer group × measure × period) with fewer reportable members than the
-- catalogue's min_peer_group_size gets no peer statistics or ranks; this says why.
CREATE MACRO peer_cell_blank_reason(n, min_size) AS
    CASE WHEN coalesce(n, 0) < min_size
         THEN 'fewer than ' || CAST(min_size AS VARCHAR) || ' members reported' END;

-- Validation warnings as shown to a viewer: the full message (which quotes values and the
-- member's own history) to the member and admins; to everyone else a fixed text per code.
CREATE MACRO shared_warning_message(code, message, org_code, viewer, sees_all) AS
    CASE WHEN sees_all OR org_code IS NOT DISTINCT FROM viewer THEN message
         WHEN code = 'outlier' THEN 'unusual against this member''s own recent history'
         WHEN code = 'large_change' THEN 'changed by more than the flagged share when restated'
         ELSE 'flagged on validation (' || code || ')' END;

-- Each value the viewer may see (latest visible version), judged against the small-number
-- rule of the catalogue in force at pos. Suppressed values come out as NULL; `small_number`
-- rows never enter statistics, whoever is looking.
CREATE MACRO shared_values(pos, moment, viewer, sees_all) AS TABLE
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
CREATE MACRO benchmark_cells(pos, moment, viewer, sees_all) AS TABLE
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
CREATE MACRO benchmark_ranks(pos, moment, viewer, sees_all) AS TABLE
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
CREATE MACRO benchmark_stats(pos, moment, viewer, sees_all) AS TABLE
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
