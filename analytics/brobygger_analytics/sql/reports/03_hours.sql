-- tittel: Innvilget og levert per bruker og ordning
-- Innvilget: vedtakets omfang for hver dag vedtaket er i kraft, til og med referansedatoen (timer per
-- uke / 7 per dag; døgn per måned / dagene i måneden per dag). Levert: timer og døgn i godkjente
-- timelister for sakens avtaler, for måneder til og med referansedatoen; i et gruppeoppdrag timene fra
-- samlingene brukeren var med på. Brukeren vises med pseudonym.
WITH reference AS (SELECT reference_date AS day FROM replay_info),
days AS (
    SELECT v.person, v.case_id, v.scheme, v.scope_unit, v.scope,
           CAST(unnest(generate_series(v.period_from, least(coalesce(v.in_force_to, v.period_to), reference.day),
                                       INTERVAL 1 DAY)) AS DATE) AS day
    FROM vedtak v, reference
    WHERE v.granted AND v.period_from <= reference.day
),
granted AS (
    SELECT person, scheme, scope_unit,
           sum(CASE scope_unit WHEN 'timer_per_uke' THEN scope / 7 ELSE scope / day(last_day(day)) END) AS granted
    FROM days
    GROUP BY ALL
),
cases_of AS (SELECT DISTINCT person, case_id, scheme, scope_unit FROM days),
delivered AS (
    SELECT c.person, c.scheme, c.scope_unit,
           sum(CASE c.scope_unit WHEN 'timer_per_uke' THEN t.hours ELSE t.dogn END) AS delivered
    FROM cases_of c
    JOIN deliveries t ON t.case_id = c.case_id AND t.approved
    WHERE t.month <= (SELECT day FROM reference)
    GROUP BY ALL
)
SELECT left(g.person, 8) AS "Bruker",
       scheme_label(g.scheme) AS "Ordning",
       CASE g.scope_unit WHEN 'timer_per_uke' THEN 'timer' ELSE 'døgn' END AS "Enhet",
       round(g.granted, 1) AS "Innvilget",
       round(coalesce(d.delivered, 0), 1) AS "Levert",
       round(100 * coalesce(d.delivered, 0) / nullif(g.granted, 0), 1) AS "Levert av innvilget (%)"
FROM granted g
LEFT JOIN delivered d USING (person, scheme, scope_unit)
ORDER BY "Ordning", "Enhet", "Bruker";
