-- name: held_values
SELECT org_code, measure_code, period, value, numerator, denominator
FROM current_values
WHERE org_code IN (SELECT unnest($1::VARCHAR[])) AND status <> 'retracted';

-- name: unlocked
SELECT org_code, period, unlocked_until
FROM returns
WHERE org_code IN (SELECT unnest($1::VARCHAR[])) AND unlocked_until IS NOT NULL;

-- name: return_versions
SELECT org_code, strftime(period, '%Y-%m') AS period, version
FROM returns
WHERE org_code IN (SELECT unnest($1::VARCHAR[]));

-- name: submission_position
SELECT position FROM submissions WHERE submission_id = $1;
