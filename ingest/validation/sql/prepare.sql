-- Validation, step 1: type every cell of the upload once, so each check is a plain filter.
--
-- Inputs registered by ingest/validation/inputs.py: raw (RAW_SCHEMA), measures, members,
-- held (HELD_SCHEMA), unlocked (UNLOCKED_SCHEMA); macros from macros.sql. Every statement of
-- this file runs, in order. Text cells stay as given until here.

-- name: create_cells
CREATE TEMP TABLE cells AS
WITH given AS (
    SELECT
        "row",
        clean(org_code) AS org_given,
        clean(measure_code) AS measure,
        clean(period) AS period_text,
        clean(value) AS value_text,
        clean(numerator) AS numerator_text,
        clean(denominator) AS denominator_text,
        clean(comment) AS comment
    FROM raw
),

stated AS (
    SELECT
        given.*,
        coalesce(org_given, $on_behalf_of) AS org,
        CASE WHEN regexp_full_match(period_text, '\d{4}-(0[1-9]|1[0-2])')
            THEN CAST(period_text || '-01' AS DATE) END AS period_date,
        number_state(value_text) AS value_state,
        number_state(numerator_text) AS numerator_state,
        number_state(denominator_text) AS denominator_state
    FROM given
),

typed AS (
    SELECT
        stated.*,
        number_value(value_text, value_state) AS value_num,
        number_value(numerator_text, numerator_state) AS numerator_num,
        number_value(denominator_text, denominator_state) AS denominator_num
    FROM stated
),

joined AS (
    SELECT
        typed.*,
        members.code IS NOT NULL AS member_known,
        measures.code IS NOT NULL AS measure_known,
        measures.kind,
        coalesce(measures.is_ratio, false) AS is_ratio,
        measures.valid_min,
        measures.valid_max,
        measures.multiplier,
        measures.numerator_label,
        measures.denominator_label,
        -- Only a meaningful ratio is derived; the other cases each get their own error.
        CASE WHEN measures.is_ratio AND denominator_num > 0 AND numerator_num >= 0
                  AND (measures.kind <> 'proportion' OR numerator_num <= denominator_num)
            THEN numerator_num / denominator_num * measures.multiplier END AS derived
    FROM typed
    LEFT JOIN members ON members.code = typed.org
    LEFT JOIN measures ON measures.code = typed.measure
)

SELECT
    joined.*,
    CASE WHEN is_ratio THEN coalesce(value_num, derived) ELSE value_num END AS value_checked,
    CASE WHEN is_ratio THEN derived ELSE value_num END AS value_out
FROM joined;

-- name: create_repeats
-- Every row that repeats a member, measure and month given on an earlier row, with that first
-- row. Worked out from the stored cells by a hash aggregate (much cheaper than a window over
-- every row); inside create_cells it made DuckDB type every cell twice. Usually empty.
CREATE TEMP TABLE repeats AS
WITH repeated AS (
    SELECT org, measure, period_text, min("row") AS first_row
    FROM cells
    WHERE org IS NOT NULL AND measure IS NOT NULL AND period_text IS NOT NULL
    GROUP BY org, measure, period_text
    HAVING count(*) > 1
)

SELECT cells.rowid AS cell, cells."row", repeated.first_row
FROM cells
JOIN repeated
    ON repeated.org = cells.org AND repeated.measure = cells.measure
    AND repeated.period_text = cells.period_text
WHERE cells."row" > repeated.first_row;

-- name: create_found
-- What the checks find. `cell` is the rowid in `cells` (NULL for the whole file). Errors only
-- say where; messages.sql writes their messages for the issues that get listed. Warnings
-- write their own, with the statistics behind them.
CREATE TEMP TABLE found (
    cell BIGINT,
    "row" BIGINT,
    col VARCHAR,  -- NULL when the problem is the whole row or file
    code VARCHAR,
    severity VARCHAR,
    message VARCHAR,
    org_code VARCHAR,  -- the return a file-level warning is about (rows have it in `cells`)
    period VARCHAR
);
