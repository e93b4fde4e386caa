-- 8: ranks by attainment, descending (no quota last); summed so that the
-- ranks are computed but not sent to the client.
SELECT sum(r) FROM (SELECT rank() OVER (ORDER BY a DESC) AS r FROM bench.ranked) AS w;
