-- Turn NHS England's monthly A&E file (one row per org, month and department type) into demo
-- returns: one member per org_code, department types summed per month. Run in order by
-- concord.demo.nhs_ae on a private in-memory DuckDB connection.
--
-- The adjustment rule: a department row cannot admit or breach more patients than attended,
-- so a count above that row's attendances is capped at its attendances BEFORE summing. The cap
-- is the smallest change that makes the row possible, leaves attendances (the figure the
-- other measures rest on) untouched, and keeps the member's month in the series; every capped
-- row is reported and the affected return rows carry a comment saying so.

-- name: create_departments
-- $1 = path of the CSV. Reported counts are kept beside the capped ones for the report.
CREATE TEMP TABLE departments AS
WITH raw AS (
    SELECT period, org_code, type AS department_type, attendances, breaches, admissions
    FROM read_csv($1, header = true, columns = {
        'period': 'DATE', 'org_code': 'VARCHAR', 'type': 'VARCHAR',
        'attendances': 'BIGINT', 'breaches': 'BIGINT', 'admissions': 'BIGINT'
    })
),
final AS (
    SELECT period,
           org_code,
           department_type,
           attendances,
           least(breaches, attendances) AS breaches,
           least(admissions, attendances) AS admissions,
           breaches AS reported_breaches,
           admissions AS reported_admissions
    FROM raw
)
SELECT period, org_code, department_type, attendances, breaches, admissions,
       reported_breaches, reported_admissions
FROM final

-- name: unreadable_rows
-- Rows the rules above cannot handle (missing keys, missing or negative counts): the file is
-- not the expected one, so the loader stops rather than guess. Checks the reported counts:
-- least() skips NULLs, so the capped ones would hide a missing count.
SELECT count(*) AS rows
FROM departments
WHERE period IS NULL OR org_code IS NULL OR department_type IS NULL
   OR attendances IS NULL OR reported_breaches IS NULL OR reported_admissions IS NULL
   OR attendances < 0 OR reported_breaches < 0 OR reported_admissions < 0

-- name: adjustments
-- One row per capped count: which department row, which field, what was reported and kept.
WITH admissions AS (
    SELECT org_code, period, department_type, 'admissions' AS field,
           reported_admissions AS reported, admissions AS kept, attendances
    FROM departments
    WHERE reported_admissions > attendances
),
breaches AS (
    SELECT org_code, period, department_type, 'breaches' AS field,
           reported_breaches AS reported, breaches AS kept, attendances
    FROM departments
    WHERE reported_breaches > attendances
),
final AS (
    SELECT * FROM admissions
    UNION ALL
    SELECT * FROM breaches
)
SELECT org_code, strftime(period, '%Y-%m') AS period, department_type, field, reported, kept,
       attendances
FROM final
ORDER BY org_code, period, department_type, field

-- name: create_member_months
-- One row per member and month reported; a month with no row at all is a gap, not a zero.
CREATE TEMP TABLE member_months AS
SELECT org_code,
       period,
       sum(attendances) AS attendances,
       sum(breaches) AS breaches,
       sum(admissions) AS admissions,
       string_agg(
           CASE WHEN reported_admissions > attendances THEN
               'type ' || department_type || ': ' || reported_admissions || ' reported, '
               || admissions || ' kept'
           END, '; ' ORDER BY department_type
       ) AS admissions_capped,
       string_agg(
           CASE WHEN reported_breaches > attendances THEN
               'type ' || department_type || ': ' || reported_breaches || ' reported, '
               || breaches || ' kept'
           END, '; ' ORDER BY department_type
       ) AS breaches_capped
FROM departments
GROUP BY org_code, period

-- name: long_rows
-- The demo returns in the long upload format. Proportions are sent as numerator and
-- denominator (the value is derived on ingest), and only where there were attendances.
WITH months AS (
    SELECT org_code, strftime(period, '%Y-%m') AS period, attendances, breaches, admissions,
           admissions_capped, breaches_capped
    FROM member_months
),
volume AS (
    SELECT org_code, 'ae_attendances' AS measure_code, period,
           attendances::DOUBLE AS value, NULL::DOUBLE AS numerator,
           NULL::DOUBLE AS denominator, NULL::VARCHAR AS comment
    FROM months
),
four_hour AS (
    SELECT org_code, 'ae_4hr_performance' AS measure_code, period,
           NULL::DOUBLE AS value, (attendances - breaches)::DOUBLE AS numerator,
           attendances::DOUBLE AS denominator,
           'demo loader capped breaches at attendances (' || breaches_capped || ')' AS comment
    FROM months
    WHERE attendances > 0
),
admission AS (
    SELECT org_code, 'ae_admission_share' AS measure_code, period,
           NULL::DOUBLE AS value, admissions::DOUBLE AS numerator,
           attendances::DOUBLE AS denominator,
           'demo loader capped admissions at attendances (' || admissions_capped || ')'
               AS comment
    FROM months
    WHERE attendances > 0
),
final AS (
    SELECT * FROM volume
    UNION ALL
    SELECT * FROM four_hour
    UNION ALL
    SELECT * FROM admission
)
SELECT org_code, measure_code, period, value, numerator, denominator, comment
FROM final
ORDER BY org_code, measure_code, period

-- name: refused_months
-- Member months with no attendances: both proportions would divide by zero.
SELECT org_code, strftime(period, '%Y-%m') AS period
FROM member_months
WHERE attendances = 0
ORDER BY org_code, period

-- name: gaps
-- Members whose monthly series does not cover the whole file window, and how: starting late,
-- ending early, or missing months between their first and last. Nothing is imputed.
WITH window_ AS (
    SELECT min(period) AS first_period, max(period) AS last_period
    FROM member_months
),
spans AS (
    SELECT org_code, min(period) AS first_held, max(period) AS last_held,
           count(*) AS months_held
    FROM member_months
    GROUP BY org_code
),
final AS (
    SELECT s.org_code,
           strftime(s.first_held, '%Y-%m') AS first_held,
           strftime(s.last_held, '%Y-%m') AS last_held,
           s.first_held > w.first_period AS starts_late,
           s.last_held < w.last_period AS ends_early,
           date_diff('month', s.first_held, s.last_held) + 1 - s.months_held AS missing_inside,
           date_diff('month', w.first_period, w.last_period) + 1 - s.months_held AS months_absent
    FROM spans AS s
    CROSS JOIN window_ AS w
)
SELECT org_code, first_held, last_held, starts_late, ends_early, missing_inside, months_absent
FROM final
WHERE months_absent > 0
ORDER BY org_code
