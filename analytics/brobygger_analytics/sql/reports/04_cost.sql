-- tittel: Kostnad per bruker, ordning og måned
-- Lønnslinjene i fullførte lønnskjøringer, per bruker, ordning og måneden utbetalingen gjelder: det som
-- ble betalt for måneden, etterbetalinger for den (en senere kjøring som betaler mer) og trekk (en senere
-- kjøring som tar tilbake), og summen i kroner. Arbeidsgodtgjøring, utgiftsdekning, kjøregodtgjørelse og
-- feriepenger er med. Brukeren vises med pseudonym.
SELECT left(person, 8) AS "Bruker",
       scheme_label(scheme) AS "Ordning",
       strftime(month, '%Y-%m') AS "Måned",
       kroner(sum(amount_ore) FILTER (WHERE kind = 'ordinær')) AS "Ordinært (kr)",
       kroner(sum(amount_ore) FILTER (WHERE kind = 'etterbetaling')) AS "Etterbetalt (kr)",
       kroner(sum(amount_ore) FILTER (WHERE kind = 'trekk')) AS "Trukket (kr)",
       kroner(sum(amount_ore)) AS "Sum (kr)"
FROM pay_lines
GROUP BY ALL
ORDER BY "Måned", "Ordning", "Bruker";
