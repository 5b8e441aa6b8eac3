-- contracts: one row per oppdragsavtale with its latest terms and end.
CREATE TABLE contracts AS
WITH amended AS (
    SELECT contract_id,
           arg_max(terms, occurred_at) AS terms,
           arg_max(period_to, occurred_at) FILTER (WHERE period_to IS NOT NULL) AS period_to,
           count(*) AS amendments
    FROM raw_contract_amended
    GROUP BY ALL
),
terminated AS (
    SELECT contract_id, arg_max(ends_on, occurred_at) AS ends_on, arg_max(terminated_by, occurred_at) AS terminated_by
    FROM raw_contract_terminated
    GROUP BY ALL
)
SELECT s.contract_id, s.application_id AS case_id, s.volunteer_id AS volunteer, s.scheme, s.user_birth_year,
       s.signed_on, s.period_from, coalesce(a.period_to, s.period_to) AS period_to,
       coalesce(a.terms, s.terms) ->> 'engagement_type' AS engagement_type,
       CAST(coalesce(a.terms, s.terms) ->> 'scope' AS DECIMAL(9, 2)) AS scope,
       coalesce(a.terms, s.terms) ->> 'scope_unit' AS scope_unit,
       coalesce(a.amendments, 0) AS amendments,
       t.ends_on AS terminated_on, t.terminated_by
FROM raw_contract_signed s
LEFT JOIN amended a USING (contract_id)
LEFT JOIN terminated t USING (contract_id)
QUALIFY row_number() OVER (PARTITION BY s.contract_id ORDER BY s.occurred_at) = 1;
