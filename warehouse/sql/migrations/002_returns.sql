-- Monthly returns: the events that shaped each return, its current state, warnings, receipts.

-- One row per return event (values are in value_versions): the audit trail of a return.
CREATE TABLE return_events (
    position      BIGINT PRIMARY KEY,
    return_id     UUID NOT NULL,
    org_code      VARCHAR NOT NULL,
    period        DATE NOT NULL,
    event_type    VARCHAR NOT NULL,  -- opened, submitted, restated, retracted, unlocked, signed_off
    version       INTEGER NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL,
    actor         VARCHAR NOT NULL,
    reason        VARCHAR,
    value_count   INTEGER NOT NULL,
    submission_id VARCHAR,
    source        VARCHAR,
    covers_version INTEGER,
    unlocked_until DATE
);

-- Each return as it stands, recomputed from return_events whenever one of its events lands.
CREATE TABLE returns (
    return_id               UUID PRIMARY KEY,
    org_code                VARCHAR NOT NULL,
    period                  DATE NOT NULL,
    version                 INTEGER NOT NULL,
    values_version          INTEGER NOT NULL,
    opened_at               TIMESTAMPTZ NOT NULL,
    first_received_at       TIMESTAMPTZ,
    last_received_at        TIMESTAMPTZ,
    submissions             INTEGER NOT NULL,
    restatements            INTEGER NOT NULL,
    restated_values         INTEGER NOT NULL,
    retractions             INTEGER NOT NULL,
    restated_after_sign_off INTEGER NOT NULL,
    signed_off_version      INTEGER,
    signed_off_at           TIMESTAMPTZ,
    signed_off_by           VARCHAR,
    unlocked_until          DATE,
    last_position           BIGINT NOT NULL
);

-- Warnings raised when a value was accepted (outliers, large changes, missing measures).
CREATE TABLE value_warnings (
    position     BIGINT NOT NULL,
    org_code     VARCHAR NOT NULL,
    measure_code VARCHAR,
    period       DATE NOT NULL,
    row          INTEGER,
    code         VARCHAR NOT NULL,
    message      VARCHAR NOT NULL
);

CREATE TABLE period_publications (
    period      DATE PRIMARY KEY,
    position    BIGINT NOT NULL,
    recorded_at TIMESTAMPTZ NOT NULL,
    actor       VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL
);

-- One row per accepted upload: who sent what, from where, and the receipt they got.
CREATE TABLE submissions (
    submission_id   VARCHAR PRIMARY KEY,
    position        BIGINT NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    actor           VARCHAR NOT NULL,
    org_code        VARCHAR,
    idempotency_key VARCHAR,
    source          VARCHAR NOT NULL,
    receipt         JSON NOT NULL
);

-- Which measures each member type is expected to report (empty applies_to: every member).
ALTER TABLE measure_versions ADD COLUMN applies_to VARCHAR[] DEFAULT [];
