-- matches: every proposal and what became of it (matchet, avslått, or åpen).
CREATE TABLE matches AS
SELECT p.aggregate_id AS match_id, p.application_id AS case_id, p.volunteer_id AS volunteer, p.scheme,
       p.proposed_on, p.expires_on,
       CASE WHEN m.matched_on IS NOT NULL THEN 'matchet'
            WHEN d.declined_on IS NOT NULL THEN 'avslått'
            ELSE 'åpen' END AS outcome,
       coalesce(m.matched_on, d.declined_on) AS outcome_on,
       d.declined_by, d.reason AS declined_reason
FROM raw_match_proposed p
LEFT JOIN (SELECT aggregate_id, min(matched_on) AS matched_on FROM raw_volunteer_matched GROUP BY ALL) m
    USING (aggregate_id)
LEFT JOIN (SELECT aggregate_id, arg_max(declined_on, occurred_at) AS declined_on,
                  arg_max(declined_by, occurred_at) AS declined_by, arg_max(reason, occurred_at) AS reason
           FROM raw_match_declined GROUP BY ALL) d
    USING (aggregate_id);
