-- tittel: Ventetid fra vedtak til første signerte avtale
-- Per ordning og måned for sakens første innvilgede vedtak: dager fra vedtaksdato til den første
-- oppdragsavtalen som er signert samme dag eller senere. Median og 90-persentil (lineært interpolert)
-- regnes av sakene som har fått avtale; sakene som fortsatt venter, telles for seg.
SELECT scheme_label(scheme) AS "Ordning",
       strftime(month, '%Y-%m') AS "Måned",
       count(*) AS "Vedtak",
       count(waiting_days) AS "Med avtale",
       count(*) - count(waiting_days) AS "Venter fortsatt",
       round(quantile_cont(waiting_days, 0.5), 1) AS "Median (dager)",
       round(quantile_cont(waiting_days, 0.9), 1) AS "P90 (dager)"
FROM waiting_periods
GROUP BY ALL
ORDER BY "Ordning", "Måned";
