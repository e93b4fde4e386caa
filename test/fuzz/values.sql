-- test/fuzz/values.sql: included by test/fuzz/setup.sql and
-- test/fuzz/rep_setup.sql: a table of edge values of the extension's types
-- for sqlsmith to draw on.

-- Values at and near the limits: the largest quota amount, tiny fractions,
-- no target, empty, unbounded and extreme ranges, infinite moments, time
-- zones and units both known and unknown.
CREATE TABLE public.fuzz_values (
    id         integer PRIMARY KEY,
    q          quota.quota,
    a          quota.attainment,
    amount     numeric,
    during     daterange,
    day        date,
    at         timestamptz,
    time_zone  text,
    unit       text
);
INSERT INTO public.fuzz_values VALUES
    (1, '150/month', '150 of 120', 150, '[2026-10-01,2026-11-01)', '2026-10-31', '2026-10-31 22:30+00', 'Europe/Helsinki', 'month'),
    (2, '999999999999999.9999/year', '0 of 0', 999999999999999.9999, 'empty', '2026-02-28', '2026-03-29 01:30+00', 'America/Sao_Paulo', 'week'),
    (3, '0/day', '0.0001 of 0.0003', 0, '[2026-01-01,)', '4714-11-24 BC', '4714-11-24 00:00+00 BC', 'UTC', 'quarter'),
    (4, '0.0001/week', '123456789012345678901234567890 of 1', 0.0001, '(,2026-01-01)', '5874897-12-31', '294276-12-31 23:59:59+00', 'Asia/Tokyo', 'half'),
    (5, '3/half', '1 of 123456789012345678901234567890', -1, '[-infinity,infinity]', 'infinity', 'infinity', 'Mars/Olympus_Mons', 'year'),
    (6, '12/year', '5 of 4', 'NaN', '[2024-02-29,2024-03-01]', '-infinity', '-infinity', '', 'day'),
    (7, '250/week', '10 of 8', 'Infinity', '[4714-11-24 BC,5874897-12-31)', '2024-02-29', '2026-11-01 00:30+02', 'EST5EDT', 'fortnight'),
    (8, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
