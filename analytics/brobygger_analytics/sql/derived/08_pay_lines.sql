-- pay_lines: every line of every completed payroll run (PayrollRunCompleted v2), with the user's case
-- and person (pseudonyms, through cases), the oppdragstaker (a pseudonym), the scheme, the month the pay
-- belongs to (a correction: the month it corrects), what it pays for, its kind (ordinær, etterbetaling,
-- trekk), quantity × rate and the amount in øre. Runs published as version 1 carried no lines.
CREATE TABLE pay_lines AS
WITH lines AS (
    SELECT r.aggregate_id AS run_id, r.period AS run_period, r.occurred_at AS paid_at, unnest(r.pay_lines) AS l
    FROM raw_payroll_run_completed r
)
SELECT lines.run_id, lines.run_period, lines.paid_at,
       l.contract_id, l.application_id AS case_id, c.person, l.volunteer_id AS volunteer,
       coalesce(l.scheme, k.scheme) AS scheme,
       l.earned_in, CAST(strptime(l.earned_in, '%Y-%m') AS DATE) AS month,
       l.component, l.kind, CAST(l.quantity AS DECIMAL(18, 4)) AS quantity, l.unit, l.rate_code,
       CAST(l.rate_value AS DECIMAL(18, 4)) AS rate_value, l.rate_valid_from, l.amount_ore
FROM lines
LEFT JOIN contracts k ON k.contract_id = l.contract_id
LEFT JOIN cases c ON c.case_id = coalesce(l.application_id, k.case_id);
