-- name: visible_values
-- $1 position, $2 moment, $3 viewer member, $4 sees all, $5 measure_code, $6 period.
SELECT org_code, measure_code, strftime(period, '%Y-%m') AS period, value, numerator,
       denominator, position, restatements
FROM visible_values($1, $2, $3, $4)
WHERE ($5 IS NULL OR measure_code = $5)
  AND ($6 IS NULL OR period = CAST($6 AS DATE))
ORDER BY measure_code, period, org_code;
