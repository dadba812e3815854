-- Validation, step 1: type every cell of the upload once, so each check is a plain filter.
--
-- Inputs registered by ingest/validation/inputs.py: raw (RAW_SCHEMA), measures, members,
-- held (HELD_SCHEMA), unlocked (UNLOCKED_SCHEMA). Every statement of this file runs, in order.
-- Text cells stay as given until here; "cleaned" means trimmed (incl. no-break spaces and the
-- byte-order mark spreadsheets leave behind) with an empty cell read as NULL.

-- name: create_macros
CREATE TEMP MACRO clean(t) AS
    nullif(trim(t, ' ' || chr(9) || chr(10) || chr(13) || chr(160) || chr(65279)), '');

-- A cell as quoted in a message: long garbage is cut so one cell cannot flood a report.
CREATE TEMP MACRO shown(t) AS
    '''' || CASE WHEN length(t) > 40 THEN left(t, 37) || '...' ELSE t END || '''';

-- A number as a person would write it: 12000 not 12000.0, 0.3 not 0.30000000000000004.
CREATE TEMP MACRO num(x) AS CASE
    WHEN abs(x) >= 1e15 OR (abs(x) < 1e-4 AND x <> 0) THEN printf('%.6g', x)
    WHEN x = trunc(x) THEN CAST(CAST(x AS HUGEINT) AS VARCHAR)
    ELSE CAST(round(x, 6) AS VARCHAR)
END;

-- 'ok' | 'not_finite' | 'not_a_number' | NULL (empty). Only plain decimal notation counts as a
-- number: DuckDB's own cast would also take '1_000', 'inf' and 'nan'.
CREATE TEMP MACRO number_state(t) AS CASE
    WHEN t IS NULL THEN NULL
    WHEN regexp_full_match(t, '[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?')
        THEN CASE WHEN isfinite(try_cast(t AS DOUBLE)) THEN 'ok' ELSE 'not_finite' END
    WHEN lower(t) IN ('nan', '+nan', '-nan', 'inf', '+inf', '-inf', 'infinity', '+infinity',
                      '-infinity', '1.#inf', '-1.#inf', '1.#qnan', '-1.#ind')
        THEN 'not_finite'
    ELSE 'not_a_number'
END;

-- Negative zero is a valid way to write 0; stored as 0.0 so it never reads as a change.
CREATE TEMP MACRO number_value(t) AS CASE
    WHEN number_state(t) = 'ok' THEN
        CASE WHEN CAST(t AS DOUBLE) = 0 THEN 0.0 ELSE CAST(t AS DOUBLE) END
END;

-- How to fix a cell that is not a number, from the commonest spreadsheet habits.
CREATE TEMP MACRO number_hint(t, kind) AS CASE
    WHEN contains(t, '%') AND kind = 'proportion' AND try_cast(replace(t, '%', '') AS DOUBLE) IS NOT NULL
        THEN 'give a fraction without the % sign (' || t || ' is '
             || num(try_cast(replace(t, '%', '') AS DOUBLE) / 100) || ')'
    WHEN contains(t, '%') THEN 'write the number without the % sign'
    WHEN regexp_full_match(t, '[+-]?\d{1,3},\d{3}')
        THEN 'commas are not allowed: write ' || replace(t, ',', '') || ' for a whole number '
             || '(no thousands separators) or ' || replace(t, ',', '.') || ' for a decimal'
    WHEN regexp_full_match(t, '[+-]?\d+,\d+')
        THEN 'use a decimal point, not a comma: ' || replace(t, ',', '.')
    WHEN regexp_full_match(t, '[+-]?\d{1,3}([ ,\x{00A0}'']\d{3})+(\.\d+)?')
        THEN 'remove the thousands separators: ' || regexp_replace(t, '[ ,\x{00A0}'']', '', 'g')
    WHEN regexp_full_match(t, '[+-]?\d{1,3}(\.\d{3})+(,\d+)?')
        THEN 'use a decimal point and no thousands separators: '
             || replace(replace(t, '.', ''), ',', '.')
    WHEN regexp_full_match(t, '[£$€][ ]?[\d.,]+')
        THEN 'remove the currency sign: ' || regexp_replace(t, '[£$€ ,]', '', 'g')
    WHEN starts_with(t, '#')
        THEN 'the cell holds a spreadsheet error; fix it in your sheet and give the figure'
    WHEN lower(t) IN ('n/a', 'na', '-', '--', 'none', 'null', 'nil', '?', '..', 'tbc', 'unknown')
        THEN 'leave the cell empty rather than writing ' || shown(t) || ' when there is no figure'
    ELSE 'give a plain number with a decimal point, such as 1234 or 0.95'
END;

-- A period in another spelling, as YYYY-MM, when it can be read unambiguously (day first,
-- as in UK dates); also an Excel date serial number that lost its date format.
CREATE TEMP MACRO period_guess(t) AS CASE
    WHEN regexp_full_match(t, '\d{5}') AND CAST(t AS INTEGER) BETWEEN 20000 AND 80000
        THEN strftime(DATE '1899-12-30' + CAST(t AS INTEGER), '%Y-%m')
    ELSE strftime(try_strptime(t, ['%Y-%m', '%Y/%m', '%m/%Y', '%m-%Y', '%m.%Y', '%Y-%m-%d',
                                   '%Y/%m/%d', '%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y', '%b %Y',
                                   '%B %Y', '%b-%Y', '%B-%Y', '%b-%y', '%b %y', '%Y%m']), '%Y-%m')
END;

-- Catalogue codes nearest to a mistyped one: fewest edits (a swap of two letters is one),
-- then the same letters in another order, then Jaro-Winkler similarity. Only the best
-- distance is offered (at most three codes), and nothing when every code is far off.
CREATE TEMP MACRO ranked_codes(probe, codes) AS list_sort(list_filter(
    list_transform(codes, lambda code: {
        distance: damerau_levenshtein(probe, code),
        not_anagram: list_sort(string_split(probe, '')) <> list_sort(string_split(code, '')),
        dissimilarity: -jaro_winkler_similarity(probe, code),
        code: code}),
    lambda c: c.distance <= greatest(1, length(c.code) // 3)));

CREATE TEMP MACRO closest_codes(probe, codes) AS list_transform(
    list_filter(ranked_codes(probe, codes),
        lambda c: c.distance = ranked_codes(probe, codes)[1].distance)[1:3],
    lambda c: c.code);

CREATE TEMP MACRO did_you_mean(codes, fallback) AS CASE
    WHEN len(codes) = 0 THEN fallback
    WHEN len(codes) = 1 THEN '; did you mean ''' || codes[1] || '''?'
    ELSE '; did you mean ''' || array_to_string(codes[1:-2], ''', ''') || ''' or '''
        || codes[-1] || '''?'
END;

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

typed AS (
    SELECT
        given.*,
        coalesce(org_given, $on_behalf_of) AS org,
        CASE WHEN regexp_full_match(period_text, '\d{4}-(0[1-9]|1[0-2])')
            THEN CAST(period_text || '-01' AS DATE) END AS period_date,
        number_state(value_text) AS value_state,
        number_state(numerator_text) AS numerator_state,
        number_state(denominator_text) AS denominator_state,
        number_value(value_text) AS value_num,
        number_value(numerator_text) AS numerator_num,
        number_value(denominator_text) AS denominator_num
    FROM given
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
        min(typed."row") OVER (PARTITION BY typed.org, typed.measure, typed.period_text)
            AS first_row,
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
