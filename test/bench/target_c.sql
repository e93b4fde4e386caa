-- Targets of 100/month over 100,000 ranges within a month, by business days
-- less ten holidays: quota.target_for on a schedule (C).
SELECT sum(quota.target_for('100/month', daterange(m, m + len), h.days))
  FROM generate_series(0, 99999) AS i
 CROSS JOIN LATERAL (SELECT (date '2020-01-01' + ((i / 28) || ' months')::interval)::date, 1 + i % 28) AS r(m, len)
 CROSS JOIN (SELECT array_agg(date '2020-01-01' + 37 * n) AS days FROM generate_series(0, 9) AS n) AS h;
