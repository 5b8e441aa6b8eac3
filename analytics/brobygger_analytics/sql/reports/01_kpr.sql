-- tittel: KPR: personer med støttekontakt og avlastning
-- Personer med innvilget vedtak i kraft i løpet av året, per kommune, tjeneste og aldersgruppe (alder
-- ved utgangen av året). Tjenestekoder: 9 støttekontakt, 7 avlastning utenfor institusjon (privat
-- avlastning). Barnevernstiltakene (støttekontakt i barnevernet, besøkshjem) rapporteres til KOSTRA,
-- ikke KPR, og er ikke med. Telt til og med referansedatoen.
WITH reference AS (SELECT reference_date AS day, kommune FROM replay_info),
in_force AS (
    SELECT v.person, v.scheme, v.birth_year, v.period_from,
           least(coalesce(v.in_force_to, v.period_to), reference.day) AS until
    FROM vedtak v, reference
    WHERE v.granted AND v.scheme IN ('støttekontakt', 'privat_avlastning') AND v.period_from <= reference.day
),
years AS (
    SELECT person, scheme, birth_year, unnest(range(year(period_from), year(until) + 1)) AS year
    FROM in_force
    WHERE until >= period_from
)
SELECT year AS "År",
       (SELECT kommune FROM reference) AS "Kommune",
       CASE scheme WHEN 'støttekontakt' THEN 9 ELSE 7 END AS "Tjenestekode",
       CASE scheme WHEN 'støttekontakt' THEN 'Støttekontakt' ELSE 'Avlastning utenfor institusjon' END AS "Tjeneste",
       age_group(year - birth_year) AS "Aldersgruppe",
       count(DISTINCT person) AS "Personer"
FROM years
GROUP BY ALL
ORDER BY "År", "Tjenestekode", min(year - birth_year);
