-- Validation, step 0: the macros the other files share. Every statement runs, in order, once
-- per process, in the in-memory database every validation's connection opens (validator.py).

-- name: typing_macros
-- Cells arrive trimmed (RAW_SCHEMA: every parser ends in ingest.parsing.raw_table.clean_text),
-- so an empty string is the only thing left to turn into NULL. Trimming again here cost a
-- second per million rows.
CREATE MACRO clean(t) AS nullif(t, '');

-- 'ok' | 'not_finite' | 'not_a_number' | NULL (empty). Only plain decimal notation counts as a
-- number: DuckDB's own cast would also take '1_000', 'inf' and 'nan'.
CREATE MACRO number_state(t) AS CASE
    WHEN t IS NULL THEN NULL
    WHEN regexp_full_match(t, '[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?')
        THEN CASE WHEN isfinite(try_cast(t AS DOUBLE)) THEN 'ok' ELSE 'not_finite' END
    WHEN lower(t) IN ('nan', '+nan', '-nan', 'inf', '+inf', '-inf', 'infinity', '+infinity',
                      '-infinity', '1.#inf', '-1.#inf', '1.#qnan', '-1.#ind')
        THEN 'not_finite'
    ELSE 'not_a_number'
END;

-- Negative zero is a valid way to write 0; stored as 0.0 so it never reads as a change.
CREATE MACRO number_value(t, state) AS CASE
    WHEN state = 'ok' THEN CASE WHEN CAST(t AS DOUBLE) = 0 THEN 0.0 ELSE CAST(t AS DOUBLE) END
END;

-- name: message_macros
-- A cell as quoted in a message: long garbage is cut so one cell cannot flood a report.
CREATE MACRO shown(t) AS
    '''' || CASE WHEN length(t) > 40 THEN left(t, 37) || '...' ELSE t END || '''';

-- A number as a person would write it: 12000 not 12000.0, 0.3 not 0.30000000000000004.
CREATE MACRO num(x) AS CASE
    WHEN abs(x) >= 1e15 OR (abs(x) < 1e-4 AND x <> 0) THEN printf('%.6g', x)
    WHEN x = trunc(x) THEN CAST(CAST(x AS HUGEINT) AS VARCHAR)
    ELSE CAST(round(x, 6) AS VARCHAR)
END;

-- A measure's valid range in words.
CREATE MACRO range_text(low, high) AS CASE
    WHEN high IS NULL THEN '(at least ' || num(low) || ')'
    WHEN low IS NULL THEN '(at most ' || num(high) || ')'
    ELSE num(low) || ' to ' || num(high)
END;

-- How to fix a cell that is not a number, from the commonest spreadsheet habits.
CREATE MACRO number_hint(t, kind) AS CASE
    WHEN contains(t, '%') AND kind = 'proportion'
            AND try_cast(replace(t, '%', '') AS DOUBLE) IS NOT NULL
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
    WHEN regexp_full_match(t, '[£$€] ?[\d.,]+')
        THEN 'remove the currency sign: ' || regexp_replace(t, '[£$€ ,]', '', 'g')
    WHEN starts_with(t, '#')
        THEN 'the cell holds a spreadsheet error; fix it in your sheet and give the figure'
    WHEN lower(t) IN ('n/a', 'na', '-', '--', 'none', 'null', 'nil', '?', '..', 'tbc', 'unknown')
        THEN 'leave the cell empty rather than writing ' || shown(t) || ' when there is no figure'
    ELSE 'give a plain number with a decimal point, such as 1234 or 0.95'
END;

-- A period in another spelling, as YYYY-MM, when it can be read unambiguously (day first, as
-- in UK dates); also an Excel date serial number that lost its date format.
CREATE MACRO period_guess(t) AS CASE
    WHEN regexp_full_match(t, '\d{5}') AND CAST(t AS INTEGER) BETWEEN 20000 AND 80000
        THEN strftime(DATE '1899-12-30' + CAST(t AS INTEGER), '%Y-%m')
    ELSE strftime(try_strptime(t, ['%Y-%m', '%Y/%m', '%m/%Y', '%m-%Y', '%m.%Y', '%Y-%m-%d',
                                   '%Y/%m/%d', '%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y', '%b %Y',
                                   '%B %Y', '%b-%Y', '%B-%Y', '%b-%y', '%b %y', '%Y%m']), '%Y-%m')
END;

-- Catalogue codes nearest to a mistyped one: fewest edits (a swap of two letters is one),
-- then the same letters in another order, then Jaro-Winkler similarity. Only codes within a
-- third of their length in edits qualify (so a wild guess gets no suggestion); the length
-- filter comes first because it is cheap and the edit distance is not.
CREATE MACRO near_enough(probe, code) AS
    abs(length(probe) - length(code)) <= greatest(1, length(code) // 3);

CREATE MACRO ranked_codes(probe, codes) AS list_sort(list_filter(
    list_transform(list_filter(codes, lambda code: near_enough(probe, code)), lambda code: {
        distance: damerau_levenshtein(probe, code),
        not_anagram: list_sort(string_split(probe, '')) <> list_sort(string_split(code, '')),
        dissimilarity: -jaro_winkler_similarity(probe, code),
        code: code}),
    lambda c: c.distance <= greatest(1, length(c.code) // 3)));

-- Give it a column holding ranked_codes(...), not the call: a macro argument is pasted in
-- wherever it is used, and the lambda would re-rank every code for every code.
CREATE MACRO best_codes(ranked) AS list_transform(
    list_filter(ranked, lambda c: c.distance = ranked[1].distance)[1:3],
    lambda c: c.code);

CREATE MACRO did_you_mean(codes, fallback) AS CASE
    WHEN len(coalesce(codes, [])) = 0 THEN fallback
    WHEN len(codes) = 1 THEN '; did you mean ''' || codes[1] || '''?'
    ELSE '; did you mean ''' || array_to_string(codes[1:-2], ''', ''') || ''' or '''
        || codes[-1] || '''?'
END;
