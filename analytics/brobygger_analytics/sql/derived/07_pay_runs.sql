-- pay_runs: each completed payroll run: the month it paid, its lines, total (øre) and the number of
-- correction lines (back pay for earlier months) it included.
CREATE TABLE pay_runs AS
SELECT aggregate_id AS run_id, period, CAST(strptime(period, '%Y-%m') AS DATE) AS month, lines, total_ore,
       corrections, occurred_at AS completed_at
FROM raw_payroll_run_completed;
