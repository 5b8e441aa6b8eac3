-- cases: one row per citizen's case (søknad), with what became of it.
-- person is a pseudonym; birth_year instead of the birth date.
CREATE TABLE cases AS
WITH received AS (
    SELECT aggregate_id AS case_id, person_id AS person, birth_year, scheme, is_barnevern, area, received_on
    FROM raw_application_received
    QUALIFY row_number() OVER (PARTITION BY aggregate_id ORDER BY occurred_at) = 1
),
decided AS (
    SELECT aggregate_id AS case_id,
           min(decided_on) FILTER (WHERE granted) AS first_granted_on,
           count(*) AS decisions,
           arg_max(granted, occurred_at) AS latest_granted
    FROM raw_application_decided
    GROUP BY ALL
),
withdrawn AS (SELECT aggregate_id AS case_id, min(withdrawn_on) AS withdrawn_on FROM raw_application_withdrawn GROUP BY ALL),
ended AS (SELECT aggregate_id AS case_id, max(ended_on) AS ended_on FROM raw_service_ended GROUP BY ALL),
contracted AS (SELECT application_id AS case_id, min(signed_on) AS first_contract_signed_on FROM raw_contract_signed GROUP BY ALL)
SELECT r.case_id, r.person, r.birth_year, r.scheme, r.is_barnevern, r.area, r.received_on,
       d.first_granted_on, coalesce(d.decisions, 0) AS decisions, w.withdrawn_on, e.ended_on,
       c.first_contract_signed_on,
       CASE WHEN e.ended_on IS NOT NULL THEN 'avsluttet'
            WHEN w.withdrawn_on IS NOT NULL THEN 'trukket'
            WHEN d.latest_granted THEN 'innvilget'
            WHEN NOT d.latest_granted THEN 'avslått'
            ELSE 'under behandling' END AS status
FROM received r
LEFT JOIN decided d USING (case_id)
LEFT JOIN withdrawn w USING (case_id)
LEFT JOIN ended e USING (case_id)
LEFT JOIN contracted c USING (case_id);
