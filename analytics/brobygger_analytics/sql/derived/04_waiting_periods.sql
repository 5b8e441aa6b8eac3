-- waiting_periods: from a case's first granted vedtak to its first contract signed on or after it.
-- waiting_days is null while the case still waits.
CREATE TABLE waiting_periods AS
WITH first_vedtak AS (
    SELECT case_id, arg_min(person, decided_on) AS person, arg_min(scheme, decided_on) AS scheme,
           bool_or(is_barnevern) AS is_barnevern, min(decided_on) AS decided_on
    FROM vedtak
    WHERE granted
    GROUP BY ALL
),
first_contract AS (
    SELECT f.case_id, min(c.signed_on) AS signed_on
    FROM first_vedtak f
    JOIN contracts c ON c.case_id = f.case_id AND c.signed_on >= f.decided_on
    GROUP BY ALL
)
SELECT f.case_id, f.person, f.scheme, f.is_barnevern, f.decided_on,
       CAST(date_trunc('month', f.decided_on) AS DATE) AS month,
       c.signed_on AS first_contract_signed_on,
       date_diff('day', f.decided_on, c.signed_on) AS waiting_days
FROM first_vedtak f
LEFT JOIN first_contract c USING (case_id);
