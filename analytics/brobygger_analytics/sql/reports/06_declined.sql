-- tittel: Avslåtte forslag og begrunnelser
-- Forslag om match som ble avslått av brukeren eller oppdragstakeren, eller som gikk ut uten svar,
-- per ordning og begrunnelse.
SELECT scheme_label(scheme) AS "Ordning",
       CASE declined_by WHEN 'bruker' THEN 'Bruker' WHEN 'oppdragstaker' THEN 'Oppdragstaker'
                        WHEN 'utløpt' THEN 'Utløpt uten svar' ELSE declined_by END AS "Avslått av",
       declined_reason AS "Begrunnelse",
       count(*) AS "Antall"
FROM matches
WHERE outcome = 'avslått'
GROUP BY ALL
ORDER BY "Antall" DESC, "Ordning", "Avslått av", "Begrunnelse";
