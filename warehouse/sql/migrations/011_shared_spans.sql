-- The shared-view read model: what everyone sees of each value once its month is open, as
-- spans of log positions (definitions/55_shared_spans.sql says how they are found, and
-- definitions/50_visibility.sql's visible_to_all reads them). shared_current holds the spans
-- still open at the projected position, one per (member, measure, period) shown; shared_closed
-- the ended ones, appended as they end, so its rows lie roughly in shared_until order and a
-- read as of a past position scans only its tail. The returns projection keeps both
-- (returns_projection.sql); a warehouse made before them is filled by
-- sql/backfills/011_shared_spans.sql once the definitions exist. IF NOT EXISTS: a migration
-- with a backfill is recorded only with its backfill (warehouse/db.py), so it may run again.

CREATE TABLE IF NOT EXISTS shared_current (
    return_id    UUID NOT NULL,
    org_code     VARCHAR NOT NULL,
    measure_code VARCHAR NOT NULL,
    period       DATE NOT NULL,
    series_key   INTEGER NOT NULL,
    month_index  INTEGER NOT NULL,
    value        DOUBLE,
    numerator    DOUBLE,
    denominator  DOUBLE,
    position     BIGINT NOT NULL,
    shared_from  BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS shared_closed (
    return_id    UUID NOT NULL,
    org_code     VARCHAR NOT NULL,
    measure_code VARCHAR NOT NULL,
    period       DATE NOT NULL,
    series_key   INTEGER NOT NULL,
    month_index  INTEGER NOT NULL,
    value        DOUBLE,
    numerator    DOUBLE,
    denominator  DOUBLE,
    position     BIGINT NOT NULL,
    shared_from  BIGINT NOT NULL,
    shared_until BIGINT NOT NULL
);
