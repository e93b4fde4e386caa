-- The same targets with built-in functions: the business days of the range
-- over those of its month, counted with generate_series.
SELECT sum(100 * w.part / w.whole)
  FROM generate_series(0, 99999) AS i
 CROSS JOIN LATERAL (SELECT (date '2020-01-01' + ((i / 28) || ' months')::interval)::date, 1 + i % 28) AS r(m, len)
 CROSS JOIN (SELECT array_agg(date '2020-01-01' + 37 * n) AS days FROM generate_series(0, 9) AS n) AS h
 CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE g < r.m + r.len)::numeric AS part, count(*)::numeric AS whole
          FROM generate_series(r.m, (r.m + interval '1 month' - interval '1 day')::date, interval '1 day') AS g
         WHERE extract(isodow FROM g) < 6 AND g::date <> ALL (h.days)) AS w;
