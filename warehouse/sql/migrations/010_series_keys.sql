-- Integer keys for the (member, measure) series (definitions/70_series_keys.sql says why),
-- kept on current_values with the month count. A warehouse made before them gets the keys
-- the returns projection would have given: in order of first appearance (log position, then
-- codes). This backfill is written out rather than calling the definitions, which are
-- applied only after the migrations.

CREATE TABLE series_keys (
    series_key   INTEGER NOT NULL,
    org_code     VARCHAR NOT NULL,
    measure_code VARCHAR NOT NULL
);

INSERT INTO series_keys
SELECT CAST(row_number() OVER (ORDER BY min(position), org_code, measure_code) - 1
            AS INTEGER),
       org_code, measure_code
FROM value_versions
GROUP BY org_code, measure_code;

ALTER TABLE current_values ADD COLUMN series_key INTEGER;
ALTER TABLE current_values ADD COLUMN month_index INTEGER;

UPDATE current_values AS c
SET series_key = k.series_key,
    month_index = CAST(year(c.period) * 12 + month(c.period) - 1 AS INTEGER)
FROM series_keys AS k
WHERE c.org_code = k.org_code AND c.measure_code = k.measure_code;
