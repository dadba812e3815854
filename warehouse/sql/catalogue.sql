-- name: catalogue_at
-- The catalogue version in force at log position $1 (the latest at or before it).
SELECT position, version, recorded_at, actor, content_hash, alliance_code, alliance_name,
       min_peer_group_size, first_period, due_days_after_month_end, lock_days_after_due
FROM catalogue_versions
WHERE position = (SELECT max(position) FROM catalogue_versions WHERE position <= $1);

-- name: members_at
WITH catalogue AS (SELECT max(position) AS position FROM catalogue_versions WHERE position <= $1),
final AS (
    SELECT m.org_code, m.name, m.member_type, m.peer_groups
    FROM member_versions AS m
    JOIN catalogue AS c ON m.position = c.position
    ORDER BY m.ordinal
)
SELECT org_code, name, member_type, peer_groups FROM final;

-- name: measures_at
WITH catalogue AS (SELECT max(position) AS position FROM catalogue_versions WHERE position <= $1),
final AS (
    SELECT m.measure_code, m.name, m.domain, m.kind, m.unit, m.improvement, m.valid_min,
           m.valid_max, m.numerator_label, m.denominator_label, m.multiplier, m.target,
           m.small_number_threshold, m.definition, m.source
    FROM measure_versions AS m
    JOIN catalogue AS c ON m.position = c.position
    ORDER BY m.ordinal
)
SELECT * FROM final;

-- name: peer_groups_at
WITH catalogue AS (SELECT max(position) AS position FROM catalogue_versions WHERE position <= $1),
membership AS (
    SELECT unnest(m.peer_groups) AS peer_group_code, m.org_code, m.ordinal
    FROM member_versions AS m JOIN catalogue AS c ON m.position = c.position
),
final AS (
    SELECT p.peer_group_code, p.name, p.description,
           coalesce(list(ms.org_code ORDER BY ms.ordinal) FILTER (WHERE ms.org_code IS NOT NULL), []) AS members
    FROM peer_group_versions AS p
    JOIN catalogue AS c ON p.position = c.position
    LEFT JOIN membership AS ms ON ms.peer_group_code = p.peer_group_code
    GROUP BY ALL
    ORDER BY p.peer_group_code
)
SELECT peer_group_code, name, description, members FROM final;

-- name: catalogue_history
SELECT position, version, recorded_at, actor, content_hash, source
FROM catalogue_versions
ORDER BY position;
