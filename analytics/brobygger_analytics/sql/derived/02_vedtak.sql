-- vedtak: every decision on a case. A granted vedtak is in force from period_from to in_force_to:
-- its own end, the day before the case's next granted vedtak starts, or the day the service ended,
-- whichever comes first.
CREATE TABLE vedtak AS
WITH decided AS (
    SELECT d.*,
           lead(period_from) OVER (PARTITION BY aggregate_id, granted ORDER BY decision_number) AS next_from
    FROM raw_application_decided d
),
ended AS (SELECT aggregate_id, max(ended_on) AS ended_on FROM raw_service_ended GROUP BY ALL)
SELECT d.aggregate_id AS case_id, c.person, c.birth_year, d.scheme, d.is_barnevern, d.decision_number, d.granted,
       d.scope, d.scope_unit, d.period_from, d.period_to,
       CASE WHEN d.granted THEN least(d.period_to, CAST(d.next_from - INTERVAL 1 DAY AS DATE), e.ended_on) END
           AS in_force_to,
       d.legal_basis, d.decided_on, d.resolves_appeal
FROM decided d
LEFT JOIN cases c ON c.case_id = d.aggregate_id
LEFT JOIN ended e ON e.aggregate_id = d.aggregate_id;
