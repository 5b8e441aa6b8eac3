-- tittel: Fra søknad til oppdrag: oppdragstakere
-- Hvor mange av dem som har søkt om å bli oppdragstaker, som har nådd hvert steg: intervju,
-- godkjent politiattest, godkjenning og første match. «Falt fra» er forskjellen fra steget før.
WITH received AS (SELECT DISTINCT volunteer_id FROM raw_volunteer_application_received),
stages AS (
    SELECT 1 AS step, 'Søknad mottatt' AS stage, count(*) AS people FROM received
    UNION ALL
    SELECT 2, 'Intervjuet', count(DISTINCT volunteer_id) FROM raw_interview_completed SEMI JOIN received USING (volunteer_id)
    UNION ALL
    SELECT 3, 'Politiattest godkjent', count(DISTINCT volunteer_id)
    FROM raw_police_certificate_verified SEMI JOIN received USING (volunteer_id)
    UNION ALL
    SELECT 4, 'Godkjent', count(DISTINCT volunteer_id) FROM raw_volunteer_approved SEMI JOIN received USING (volunteer_id)
    UNION ALL
    SELECT 5, 'Matchet', count(DISTINCT volunteer_id) FROM raw_volunteer_matched SEMI JOIN received USING (volunteer_id)
)
SELECT stage AS "Steg",
       people AS "Personer",
       coalesce(lag(people) OVER (ORDER BY step) - people, 0) AS "Falt fra",
       round(100 * people / nullif(first_value(people) OVER (ORDER BY step), 0), 1) AS "Andel av mottatte (%)"
FROM stages
ORDER BY step;
