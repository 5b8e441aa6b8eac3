-- Labels in bokmål for the codes the events carry, for reports.
CREATE MACRO scheme_label(scheme) AS CASE scheme
    WHEN 'støttekontakt' THEN 'Støttekontakt'
    WHEN 'støttekontakt_barnevern' THEN 'Støttekontakt (barnevern)'
    WHEN 'privat_avlastning' THEN 'Privat avlastning'
    WHEN 'besøkshjem' THEN 'Besøkshjem'
    ELSE scheme END;

CREATE MACRO age_group(age) AS CASE
    WHEN age < 6 THEN '0–5' WHEN age < 13 THEN '6–12' WHEN age < 18 THEN '13–17' WHEN age < 30 THEN '18–29'
    WHEN age < 50 THEN '30–49' WHEN age < 67 THEN '50–66' ELSE '67+' END;

-- øre as kroner, exactly (no float on the way); none counts as 0.
CREATE MACRO kroner(ore) AS CAST(CAST(coalesce(ore, 0) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2));
