-- timesheets: one row per contract and month, as last submitted; approved when an approval came
-- after the last submission. hours and døgn are what was delivered; hours_by_case, on a group contract's
-- timesheet, each member's hours (each session's hours counted against each user present).
CREATE TABLE timesheets AS
WITH submitted AS (
    SELECT aggregate_id AS timesheet_id, arg_max(contract_id, occurred_at) AS contract_id,
           arg_max(volunteer_id, occurred_at) AS volunteer, arg_max(period, occurred_at) AS period,
           arg_max(hours, occurred_at) AS delivered_hours, arg_max(dogn, occurred_at) AS delivered_dogn,
           arg_max(hours_by_case, occurred_at) AS hours_by_case,
           count(*) - 1 AS corrections, max(occurred_at) AS last_submitted_at
    FROM raw_timesheet_submitted
    GROUP BY ALL
),
approved AS (
    SELECT aggregate_id AS timesheet_id, max(occurred_at) AS approved_at, arg_max(approved_on, occurred_at) AS approved_on
    FROM raw_timesheet_approved
    GROUP BY ALL
)
SELECT s.timesheet_id, s.contract_id, c.case_id, c.scheme, s.volunteer, s.period,
       CAST(strptime(s.period, '%Y-%m') AS DATE) AS month,
       s.delivered_hours, s.delivered_dogn, s.hours_by_case, s.corrections,
       a.approved_at >= s.last_submitted_at AS approved,
       CASE WHEN a.approved_at >= s.last_submitted_at THEN a.approved_on END AS approved_on
FROM submitted s
LEFT JOIN approved a USING (timesheet_id)
LEFT JOIN contracts c USING (contract_id);
