-- deliveries: what each timesheet delivered to each user's case. A one-user contract's timesheet delivers
-- all its hours and døgn to the contract's case; a group contract's delivers to each member's case the
-- hours of the sessions that member was at (hours_by_case), so each counts against their own vedtak.
CREATE TABLE deliveries AS
SELECT t.timesheet_id, t.contract_id, t.case_id, t.scheme, t.month, t.approved,
       t.delivered_hours AS hours, t.delivered_dogn AS dogn
FROM timesheets t
WHERE coalesce(len(t.hours_by_case), 0) = 0
UNION ALL
SELECT t.timesheet_id, t.contract_id, h.application_id AS case_id, t.scheme, t.month, t.approved,
       h.hours, 0 AS dogn
FROM timesheets t, unnest(t.hours_by_case) AS u(h)
WHERE len(t.hours_by_case) > 0;
