-- Benchmarks, scorecards and "restated since". Every value comes through the macros of
-- definitions/60_benchmarks.sql (shared_values, benchmark_ranks, benchmark_stats), so visibility and the
-- small-number rule are applied the same way here as in every other shared read.
-- Common parameters: $1 position, $2 moment, $3 viewer member (or NULL), $4 sees all.

-- name: latest_period
-- $5 measure_code: the latest period with any value of the measure the viewer may see.
SELECT max(period) AS period
FROM shared_values($1, $2, $3, $4)
WHERE measure_code = $5;

-- name: latest_member_period
-- $5 org_code: the latest period with any value of the member the viewer may see.
SELECT max(period) AS period
FROM shared_values($1, $2, $3, $4)
WHERE org_code = $5;

-- name: benchmark_members
-- $5 measure_code, $6 period (DATE), $7 peer group to rank in (NULL: each member's first).
-- One row per member with a visible value, best alliance rank first, unranked last.
WITH members AS (
    SELECT org_code, name, peer_groups, ordinal FROM member_versions
    WHERE position = catalogue_position_at($1)
),
vals AS (
    SELECT * FROM shared_values($1, $2, $3, $4)
    WHERE measure_code = $5 AND period = CAST($6 AS DATE)
),
ranks AS (
    SELECT * FROM benchmark_ranks($1, $2, $3, $4)
    WHERE measure_code = $5 AND period = CAST($6 AS DATE)
),
chosen AS (
    SELECT org_code,
           CASE WHEN $7 IS NULL THEN peer_groups[1]
                WHEN list_contains(peer_groups, $7) THEN $7 END AS peer_group
    FROM members
),
peer_ranks AS (
    SELECT r.org_code,
           list({'peer_group_code': r.peer_group_code, 'rank': r.rank,
                 'percentile': r.percentile, 'blank_reason': r.blank_reason}
                ORDER BY r.peer_group_code) AS peer_ranks
    FROM ranks AS r WHERE r.peer_group_code IS NOT NULL
    GROUP BY r.org_code
),
warnings AS (
    SELECT org_code, position,
           list({'code': code,
                 'message': shared_warning_message(code, message, org_code, $3, $4)}
                ORDER BY "row", code) AS warnings
    FROM value_warnings
    WHERE measure_code = $5 AND period = CAST($6 AS DATE) AND position <= $1
    GROUP BY org_code, position
),
final AS (
    SELECT v.org_code, m.name, v.value, v.numerator, v.denominator,
           a.rank, a.percentile, c.peer_group, p.rank AS peer_rank,
           p.percentile AS peer_percentile,
           v.suppressed, v.small_number, v.suppression_reason, v.restatements,
           CASE WHEN v.suppressed THEN [] ELSE coalesce(w.warnings, []) END AS warnings,
           coalesce(pr.peer_ranks, []) AS peer_ranks,
           m.ordinal
    FROM vals AS v
    JOIN members AS m USING (org_code)
    JOIN chosen AS c USING (org_code)
    LEFT JOIN ranks AS a ON a.org_code = v.org_code AND a.peer_group_code IS NULL
    LEFT JOIN ranks AS p ON p.org_code = v.org_code AND p.peer_group_code = c.peer_group
    LEFT JOIN peer_ranks AS pr ON pr.org_code = v.org_code
    LEFT JOIN warnings AS w ON w.org_code = v.org_code AND w.position = v.position
)
SELECT org_code, name, value, numerator, denominator, rank, percentile, peer_group, peer_rank,
       peer_percentile, suppressed, small_number, suppression_reason, restatements, warnings,
       peer_ranks
FROM final
ORDER BY rank NULLS LAST, ordinal;

-- name: benchmark_cells
-- $5 measure_code, $6 period (DATE): the alliance (peer_group_code NULL) then every peer
-- group of the catalogue at $1, with its statistics or the reason they are blank.
WITH settings AS (
    SELECT min_peer_group_size FROM catalogue_versions
    WHERE position = catalogue_position_at($1)
),
members AS (
    SELECT org_code, peer_groups FROM member_versions
    WHERE position = catalogue_position_at($1)
),
groups AS (
    SELECT CAST(NULL AS VARCHAR) AS peer_group_code, 'Alliance' AS name,
           (SELECT count(*) FROM members) AS members, 0 AS ordinal
    UNION ALL
    SELECT g.peer_group_code, g.name,
           (SELECT count(*) FROM members AS m WHERE list_contains(m.peer_groups, g.peer_group_code)),
           row_number() OVER (ORDER BY g.peer_group_code)
    FROM peer_group_versions AS g
    WHERE g.position = catalogue_position_at($1)
),
small AS (
    SELECT g.peer_group_code, count(*) AS small_numbers
    FROM shared_values($1, $2, $3, $4) AS v
    JOIN members AS m USING (org_code)
    JOIN groups AS g
      ON g.peer_group_code IS NULL OR list_contains(m.peer_groups, g.peer_group_code)
    WHERE v.measure_code = $5 AND v.period = CAST($6 AS DATE) AND v.small_number
    GROUP BY g.peer_group_code
),
stats AS (
    SELECT * FROM benchmark_stats($1, $2, $3, $4)
    WHERE measure_code = $5 AND period = CAST($6 AS DATE)
),
final AS (
    SELECT g.peer_group_code, g.name, g.members, coalesce(s.n, 0) AS n,
           coalesce(sm.small_numbers, 0) AS small_numbers,
           CASE WHEN g.peer_group_code IS NULL THEN NULL
                ELSE coalesce(s.blank_reason, peer_cell_blank_reason(s.n, st.min_peer_group_size))
           END AS blank_reason,
           s.pooled, s.median, s.q1, s.q3, s.min, s.max, g.ordinal
    FROM groups AS g
    CROSS JOIN settings AS st
    LEFT JOIN stats AS s ON s.peer_group_code IS NOT DISTINCT FROM g.peer_group_code
    LEFT JOIN small AS sm ON sm.peer_group_code IS NOT DISTINCT FROM g.peer_group_code
)
SELECT peer_group_code, name, members, n, small_numbers, blank_reason, pooled, median, q1, q3,
       min, max
FROM final
ORDER BY ordinal;

-- name: scorecard
-- $5 org_code, $6 period (DATE), $7 peer group: every measure that applies to the member
-- (or that it reported), grouped by domain in catalogue order, with its value, target,
-- whether met, alliance and peer statistics and ranks, restatements and warnings.
WITH measures AS (
    SELECT * FROM measure_versions WHERE position = catalogue_position_at($1)
),
member AS (
    SELECT org_code, member_type FROM member_versions
    WHERE position = catalogue_position_at($1) AND org_code = $5
),
domains AS (
    SELECT domain, min(ordinal) AS domain_ordinal FROM measures GROUP BY domain
),
vals AS (
    SELECT * FROM shared_values($1, $2, $3, $4)
    WHERE org_code = $5 AND period = CAST($6 AS DATE)
),
ranks AS (
    SELECT * FROM benchmark_ranks($1, $2, $3, $4)
    WHERE period = CAST($6 AS DATE) AND org_code = $5
      AND (peer_group_code IS NULL OR peer_group_code = $7)
),
stats AS (
    SELECT * FROM benchmark_stats($1, $2, $3, $4)
    WHERE period = CAST($6 AS DATE) AND (peer_group_code IS NULL OR peer_group_code = $7)
),
settings AS (
    SELECT min_peer_group_size FROM catalogue_versions
    WHERE position = catalogue_position_at($1)
),
warnings AS (
    SELECT measure_code, position,
           list({'code': code,
                 'message': shared_warning_message(code, message, org_code, $3, $4)}
                ORDER BY "row", code) AS warnings
    FROM value_warnings
    WHERE org_code = $5 AND period = CAST($6 AS DATE) AND position <= $1
      AND measure_code IS NOT NULL
    GROUP BY measure_code, position
),
final AS (
    SELECT ms.domain, ms.measure_code, ms.name, ms.kind, ms.unit, ms.improvement,
           v.value, v.numerator, v.denominator, ms.target,
           CASE WHEN v.value IS NULL OR ms.target IS NULL OR ms.improvement = 'neutral' THEN NULL
                WHEN ms.improvement = 'increase' THEN v.value >= ms.target
                ELSE v.value <= ms.target END AS target_met,
           a_st.pooled AS alliance_pooled, a_st.median AS alliance_median,
           a_st.q1 AS alliance_q1, a_st.q3 AS alliance_q3, coalesce(a_st.n, 0) AS alliance_n,
           a.rank, a.percentile,
           $7 AS peer_group, p_st.median AS peer_median, p_st.q1 AS peer_q1, p_st.q3 AS peer_q3,
           coalesce(p_st.n, 0) AS peer_n, p.rank AS peer_rank, p.percentile AS peer_percentile,
           CASE WHEN $7 IS NULL THEN 'the member belongs to no peer group'
                ELSE coalesce(p_st.blank_reason,
                              peer_cell_blank_reason(p_st.n, st.min_peer_group_size))
           END AS peer_blank_reason,
           coalesce(v.suppressed, false) AS suppressed,
           coalesce(v.small_number, false) AS small_number, v.suppression_reason,
           coalesce(v.restatements, 0) AS restatements,
           CASE WHEN v.suppressed THEN [] ELSE coalesce(w.warnings, []) END AS warnings,
           d.domain_ordinal, ms.ordinal
    FROM measures AS ms
    CROSS JOIN member AS mb
    CROSS JOIN settings AS st
    JOIN domains AS d USING (domain)
    LEFT JOIN vals AS v USING (measure_code)
    LEFT JOIN ranks AS a ON a.measure_code = ms.measure_code AND a.peer_group_code IS NULL
    LEFT JOIN ranks AS p ON p.measure_code = ms.measure_code AND p.peer_group_code = $7
    LEFT JOIN stats AS a_st
      ON a_st.measure_code = ms.measure_code AND a_st.peer_group_code IS NULL
    LEFT JOIN stats AS p_st ON p_st.measure_code = ms.measure_code AND p_st.peer_group_code = $7
    LEFT JOIN warnings AS w ON w.measure_code = ms.measure_code AND w.position = v.position
    WHERE len(ms.applies_to) = 0 OR list_contains(ms.applies_to, mb.member_type)
       OR v.org_code IS NOT NULL
)
SELECT * EXCLUDE (domain_ordinal, ordinal) FROM final ORDER BY domain_ordinal, ordinal;

-- name: restated_since
-- $1 since (snapshot N), $2 moment of N, $3 position, $4 moment, $5 viewer, $6 sees all,
-- $7 measure_code, $8 period (DATE or NULL). Values the viewer sees differently now than at
-- N: restated or retracted since, or added late to a period that already had values at N.
-- Both sides are judged by the small-number rule of the catalogue at $3.
WITH measure AS (
    SELECT kind, small_number_threshold FROM measure_versions
    WHERE position = catalogue_position_at($3) AND measure_code = $7
),
members AS (
    SELECT org_code, name, ordinal FROM member_versions
    WHERE position = catalogue_position_at($3)
),
before AS (
    SELECT org_code, period, max(position) AS position, arg_max(status, position) AS status,
           arg_max(value, position) AS value, arg_max(numerator, position) AS numerator,
           arg_max(denominator, position) AS denominator
    FROM visible_versions($1, $2, $5, $6)
    WHERE measure_code = $7 AND ($8 IS NULL OR period = CAST($8 AS DATE))
    GROUP BY org_code, period
),
after AS (
    SELECT org_code, period, max(position) AS position, arg_max(status, position) AS status,
           arg_max(value, position) AS value, arg_max(numerator, position) AS numerator,
           arg_max(denominator, position) AS denominator,
           arg_max(actor, position) AS actor, arg_max(recorded_at, position) AS recorded_at,
           arg_max(reason, position) AS reason,
           count(*) FILTER (WHERE position > $1) AS versions_since
    FROM visible_versions($3, $4, $5, $6)
    WHERE measure_code = $7 AND ($8 IS NULL OR period = CAST($8 AS DATE))
    GROUP BY org_code, period
),
periods_seen AS (SELECT DISTINCT period FROM before WHERE status <> 'retracted'),
changes AS (
    SELECT a.*, b.position AS before_position,
           CASE WHEN b.status IS NULL OR b.status = 'retracted' THEN 'added'
                WHEN a.status = 'retracted' THEN 'retracted' ELSE 'restated' END AS change,
           CASE WHEN b.status = 'retracted' THEN NULL ELSE b.value END AS before_value,
           CASE WHEN b.status = 'retracted' THEN NULL ELSE b.numerator END AS before_numerator,
           CASE WHEN b.status = 'retracted' THEN NULL ELSE b.denominator END
               AS before_denominator
    FROM after AS a LEFT JOIN before AS b USING (org_code, period)
    WHERE a.position > coalesce(b.position, -1)
      AND (b.status IN ('submitted', 'restated') OR a.period IN (SELECT period FROM periods_seen))
      AND NOT (a.status = 'retracted' AND coalesce(b.status, 'retracted') = 'retracted')
      AND (a.status IS DISTINCT FROM b.status OR a.value IS DISTINCT FROM b.value
           OR a.numerator IS DISTINCT FROM b.numerator
           OR a.denominator IS DISTINCT FROM b.denominator)
),
judged AS (
    SELECT c.*,
           is_suppressed(is_small_number(ms.kind, ms.small_number_threshold, c.before_value,
                                         c.before_denominator), c.org_code, $5, $6) AS hide_before,
           is_suppressed(is_small_number(ms.kind, ms.small_number_threshold, c.value,
                                         c.denominator), c.org_code, $5, $6) AS hide_after,
           small_number_reason(ms.kind, ms.small_number_threshold) AS reason_text
    FROM changes AS c CROSS JOIN measure AS ms
),
final AS (
    SELECT j.org_code, m.name, strftime(j.period, '%Y-%m') AS period, j.change,
           CASE WHEN hide_before THEN NULL ELSE before_value END AS before_value,
           CASE WHEN hide_before THEN NULL ELSE before_numerator END AS before_numerator,
           CASE WHEN hide_before THEN NULL ELSE before_denominator END AS before_denominator,
           CASE WHEN hide_after OR j.status = 'retracted' THEN NULL ELSE j.value END
               AS after_value,
           CASE WHEN hide_after OR j.status = 'retracted' THEN NULL ELSE j.numerator END
               AS after_numerator,
           CASE WHEN hide_after OR j.status = 'retracted' THEN NULL ELSE j.denominator END
               AS after_denominator,
           hide_before OR hide_after AS suppressed,
           CASE WHEN hide_before OR hide_after THEN reason_text END AS suppression_reason,
           j.before_position, j.position AS after_position, j.versions_since,
           j.actor, j.recorded_at, j.reason, j.period AS period_date, m.ordinal
    FROM judged AS j LEFT JOIN members AS m USING (org_code)
)
SELECT * EXCLUDE (period_date, ordinal) FROM final ORDER BY period_date, ordinal, org_code;
