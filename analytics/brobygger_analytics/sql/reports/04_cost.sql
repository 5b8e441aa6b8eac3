-- tittel: Utbetalt per måned
-- Fullførte lønnskjøringer per måned de gjelder: antall linjer, hvor mange av dem som er korreksjoner
-- (etterbetaling eller trekk for tidligere måneder) og summen i kroner, korreksjoner medregnet.
-- Lønnslinjene per bruker og ordning publiseres ikke av lønnstjenesten ennå; summene er kjøringenes.
SELECT strftime(month, '%Y-%m') AS "Måned",
       count(*) AS "Kjøringer",
       sum(lines) AS "Linjer",
       sum(corrections) AS "Korreksjonslinjer",
       CAST(CAST(sum(total_ore) AS DECIMAL(18, 0)) * 0.01 AS DECIMAL(18, 2)) AS "Utbetalt (kr)"
FROM pay_runs
GROUP BY ALL
ORDER BY "Måned";
