-- The reporting calendar: due dates, lock dates, month counts, the periods view.
-- Definitions hold no data: warehouse/db.py re-applies every file of this folder, in name
-- order, after the migrations, each time the warehouse opens (Warehouse.migrate).

-- The reporting calendar, defined once for the warehouse's SQL: every due date, lock date and
-- "has that day ended?" test reads these macros. (The same rule for the write side is
-- ingest/returns/periods.py and the validation's locked_period check.)

-- The last day a member's return for month `period` counts as on time.
CREATE OR REPLACE MACRO due_date_of(period, due_days) AS
    CAST(last_day(period) + to_days(due_days) AS DATE);

-- The last day the return can be changed without an admin unlocking it.
CREATE OR REPLACE MACRO lock_date_of(period, due_days, lock_days) AS
    due_date_of(period, due_days + lock_days);

-- The first moment (UTC) after `day` has ended: a return is late, a window closed or a
-- period locked from then on.
CREATE OR REPLACE MACRO end_of_day(day) AS
    CAST(CAST(day AS DATE) + INTERVAL 1 DAY AS TIMESTAMP) AT TIME ZONE 'UTC';

-- Months counted from year 0: month_index_of(DATE '2024-03-01') = 2024 * 12 + 2.
CREATE OR REPLACE MACRO month_index_of(period) AS
    CAST(year(period) * 12 + month(period) - 1 AS INTEGER);

-- Monthly periods of the latest calendar, to twelve months past today, from the macros above.
CREATE OR REPLACE VIEW periods AS
WITH calendar AS (SELECT * FROM latest_catalogue),
months AS (
    SELECT CAST(unnest(generate_series(
        calendar.first_period,
        CAST(date_trunc('month', current_date) + INTERVAL 12 MONTH AS DATE),
        INTERVAL 1 MONTH)) AS DATE) AS period
    FROM calendar
),
final AS (
    SELECT
        months.period,
        due_date_of(months.period, calendar.due_days_after_month_end) AS due_date,
        lock_date_of(months.period, calendar.due_days_after_month_end,
                     calendar.lock_days_after_due) AS locks_on
    FROM months, calendar
)
SELECT period, due_date, locks_on FROM final;
