-- SPC: the board's decisions on how charts are drawn, and the signals the charts raise.

-- Every SPC decision, in log order: the decisions in force at a position are the latest per
-- (measure, scope, period) for rebases and per (measure, scope) for baselines.
CREATE TABLE spc_decisions (
    position     BIGINT PRIMARY KEY,
    measure_code VARCHAR NOT NULL,
    org_code     VARCHAR,           -- NULL: every member's chart (alliance-wide)
    decision     VARCHAR NOT NULL,  -- rebased, rebase_withdrawn, baseline_fixed, baseline_released
    period       DATE,              -- rebases: the first month of the new segment
    n_points     INTEGER,           -- baseline_fixed: points the limits are fixed on
    reason       VARCHAR NOT NULL,
    meeting      VARCHAR NOT NULL,
    actor        VARCHAR NOT NULL,
    recorded_at  TIMESTAMPTZ NOT NULL
);

-- What each (member, measure) series signals now, from all its current values (not only the
-- published ones), the decisions in force and the latest catalogue. A series' rows are
-- replaced whenever anything it depends on changes, so the table is the same however the log
-- was batched. One row per (org_code, measure_code, period, rule) by construction.
CREATE TABLE signals (
    org_code        VARCHAR NOT NULL,
    measure_code    VARCHAR NOT NULL,
    period          DATE NOT NULL,
    rule            VARCHAR NOT NULL,  -- special_cause_concern, assurance_consistent_fail
    latest_period   DATE NOT NULL,     -- the series' latest month
    latest_position BIGINT NOT NULL    -- log position of the latest value recorded in the series
);
