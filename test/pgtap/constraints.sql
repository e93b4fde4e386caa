-- The constraints of quota_ext, each with the SQLSTATE an application can
-- rely on: bad reference data, overlapping quotas, bad activity rows, retries,
-- the future tolerance and closed periods.
BEGIN;
SELECT plan(58);

-- The DETAIL of the error a statement raises (NULL when it succeeds).
CREATE FUNCTION pg_temp.error_detail(statement text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    EXECUTE statement;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
    RETURN detail;
END
$$;

-- Sums of quota.daily_total over slots, for one rep, kind and day.
CREATE FUNCTION pg_temp.total(rep text, kind text, day date) RETURNS numeric LANGUAGE sql AS $$
    SELECT sum(t.qty) FROM quota.daily_total t WHERE t.rep_id = total.rep AND t.kind = total.kind AND t.day = total.day
$$;

INSERT INTO quota.team (team_id, name) VALUES ('t1', 'Team one');
INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES
    ('c_utc', 'Rep in UTC', 't1', 'UTC'),
    ('c_tokyo', 'Rep in Tokyo', 't1', 'Asia/Tokyo'),
    ('c_la', 'Rep in Los Angeles', 't1', 'America/Los_Angeles');

-- quota.rep
SELECT throws_ok($$INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('c_x', 'X', 'Mars/Olympus_Mons')$$,
                 '22023', 'time zone "Mars/Olympus_Mons" not recognized',
                 'a rep with an unknown time zone is refused (22023)');
SELECT throws_ok($$UPDATE quota.rep SET time_zone = 'Europe/Atlantis' WHERE rep_id = 'c_utc'$$,
                 '22023', NULL, 'changing a rep to an unknown time zone is refused (22023)');
SELECT lives_ok($$INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('c_hel', 'Helsinki', 'Europe/Helsinki')$$,
                'a rep with a known time zone is accepted');

-- quota.activity_kind
SELECT throws_ok($$INSERT INTO quota.activity_kind (kind, measure) VALUES ('hugs', 'weight')$$,
                 '23514', NULL, 'a kind whose measure is neither count nor amount is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.activity_kind (kind, measure, weight) VALUES ('hugs', 'count', -1)$$,
                 '23514', NULL, 'a kind with a negative weight is refused (23514)');
SELECT lives_ok($$INSERT INTO quota.activity_kind (kind, measure, weight) VALUES ('referral', 'count', 2)$$,
                'a kind measured in counts is accepted');

-- quota.assignment
SELECT throws_ok($$INSERT INTO quota.assignment (rep_id, team_id, kind, target, valid)
                   VALUES ('c_utc', 't1', 'call', '100/month', '[2026-01-01,)')$$,
                 '23514', NULL, 'an assignment to both a rep and a team is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.assignment (rep_id, team_id, kind, target, valid)
                   VALUES (NULL, NULL, 'call', '100/month', '[2026-01-01,)')$$,
                 '23514', NULL, 'an assignment to neither a rep nor a team is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                   VALUES ('c_utc', 'call', '100/month', '(,2026-06-01)')$$,
                 '23514', NULL, 'an assignment without a start date is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                   VALUES ('c_utc', 'call', '100/month', 'empty')$$,
                 '23514', NULL, 'an assignment valid on no day is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                   VALUES ('c_utc', 'tennis', '100/month', '[2026-01-01,)')$$,
                 '23503', NULL, 'an assignment of an unknown kind is refused (23503)');
SELECT throws_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                   VALUES ('nobody', 'call', '100/month', '[2026-01-01,)')$$,
                 '23503', NULL, 'an assignment to an unknown rep is refused (23503)');

SELECT lives_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                  VALUES ('c_utc', 'call', '100/month', '[2026-01-01,2026-07-01)')$$,
                'a first quota of a rep and kind is accepted');
SELECT lives_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                  VALUES ('c_utc', 'call', '120/month', '[2026-07-01,)')$$,
                'a quota starting the day the previous one ends is accepted (ranges are half-open)');
SELECT lives_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                  VALUES ('c_utc', 'email', '300/month', '[2026-01-01,)')$$,
                'a quota of another kind over the same dates is accepted');
SELECT lives_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                  VALUES ('c_tokyo', 'call', '100/month', '[2026-01-01,)')$$,
                'a quota of another rep over the same kind and dates is accepted');
SELECT throws_ok($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                   VALUES ('c_utc', 'call', '150/month', '[2026-06-15,2026-08-01)')$$,
                 '23P01', 'conflicting key value violates exclusion constraint "assignment_rep_overlap"',
                 'overlapping quotas of one rep and kind are refused (23P01)');
SELECT is(pg_temp.error_detail($$INSERT INTO quota.assignment (rep_id, kind, target, valid)
                                 VALUES ('c_utc', 'call', '150/month', '[2026-06-15,2026-08-01)')$$),
          'Key (rep_id, kind, valid)=(c_utc, call, [2026-06-15,2026-08-01)) conflicts with existing key (rep_id, kind, valid)=(c_utc, call, [2026-01-01,2026-07-01)).',
          'the overlap error names the conflicting assignment');
SELECT throws_ok($$UPDATE quota.assignment SET valid = '[2026-01-01,2026-07-02)'
                    WHERE rep_id = 'c_utc' AND kind = 'call' AND lower(valid) = '2026-01-01'$$,
                 '23P01', NULL, 'stretching a quota over the next one is refused (23P01)');
SELECT lives_ok($$INSERT INTO quota.assignment (team_id, kind, target, valid)
                  VALUES ('t1', 'call', '1000/month', '[2026-01-01,)')$$,
                'a team quota over the dates of a member''s quota is accepted');
SELECT throws_ok($$INSERT INTO quota.assignment (team_id, kind, target, valid)
                   VALUES ('t1', 'call', '900/month', '[2026-03-01,2026-04-01)')$$,
                 '23P01', 'conflicting key value violates exclusion constraint "assignment_team_overlap"',
                 'overlapping quotas of one team and kind are refused (23P01)');

-- quota.activity: each row
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('c_utc', 'tennis', '2026-11-02 10:00+00')$$,
                 '23503', NULL, 'activity of an unknown kind is refused (23503)');
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('nobody', 'call', '2026-11-02 10:00+00')$$,
                 '23503', NULL, 'activity of an unknown rep is refused (23503)');
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('c_utc', 'call', '2026-11-02 10:00+00', 0)$$,
                 '23514', NULL, 'activity with qty 0 is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('c_utc', 'call', '2026-11-02 10:00+00', -2)$$,
                 '23514', NULL, 'activity with a negative qty is refused (23514)');

-- Retries: external_id is unique, and ON CONFLICT DO NOTHING counts once.
SELECT lives_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
                  VALUES ('c_utc', 'call', '2026-11-03 10:00+00', 3, 'dialer-1')$$,
                'activity with an external id is recorded');
SELECT throws_ok($$UPDATE quota.activity SET qty = 0 WHERE external_id = 'dialer-1'$$, '23514', NULL,
                 'changing a qty to 0 is refused (23514)');
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
                   VALUES ('c_utc', 'call', '2026-11-03 10:00+00', 3, 'dialer-1')$$,
                 '23505', NULL, 'a second row with the same external_id is refused (23505)');
SELECT lives_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
                  VALUES ('c_utc', 'call', '2026-11-03 10:00+00', 3, 'dialer-1')
                  ON CONFLICT (external_id) DO NOTHING$$,
                'a retry with ON CONFLICT (external_id) DO NOTHING succeeds');
SELECT lives_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id)
                  VALUES ('c_utc', 'call', '2026-11-03 11:00+00', 3, 'dialer-1'),
                         ('c_utc', 'call', '2026-11-03 12:00+00', 4, 'dialer-2')
                  ON CONFLICT (external_id) DO NOTHING$$,
                'a batch retry holding one old and one new external id succeeds');
-- dialer-1 counted once (3) + dialer-2 (4) = 7 on 2026-11-03.
SELECT is(pg_temp.total('c_utc', 'call', '2026-11-03'), 7::numeric,
          'retried activity counts once: the total of the day is 3 + 4 = 7');
SELECT is((SELECT count(*)::int FROM quota.activity WHERE external_id = 'dialer-1'), 1,
          'a retried external_id is stored once');
SELECT is_empty('SELECT * FROM quota.verify()', 'the totals agree with a recount after retries');

-- The future tolerance (default 3600 s): the clock of the sender may be a bit ahead.
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('c_utc', 'call', clock_timestamp() + interval '2 hours')$$,
                 '23514', NULL, 'activity 2 h in the future is refused (23514; tolerance 1 h)');
SELECT lives_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('c_utc', 'call', clock_timestamp() + interval '30 minutes')$$,
                'activity 30 min in the future is accepted (within the 1 h tolerance)');
SET LOCAL quota.future_tolerance = '3h';
SELECT lives_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('c_utc', 'call', clock_timestamp() + interval '2 hours')$$,
                'activity 2 h in the future is accepted once quota.future_tolerance is 3 h');
SELECT throws_ok($$UPDATE quota.activity SET occurred_at = clock_timestamp() + interval '4 hours' WHERE external_id = 'dialer-2'$$,
                 '23514', NULL, 'moving activity beyond the tolerance is refused (23514)');
RESET quota.future_tolerance;
-- The tolerance is about rows recorded now.  A row that carries when it was
-- recorded, earlier (a restored dump recorded under a larger tolerance, an
-- import of history), is taken as recorded then.
SELECT lives_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, recorded_at)
                  VALUES ('c_utc', 'call', clock_timestamp() + interval '2 hours', now() - interval '1 day')$$,
                'a row recorded a day ago is not checked against the tolerance of now');
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, recorded_at)
                   VALUES ('c_utc', 'call', clock_timestamp() + interval '2 hours', now())$$,
                 '23514', NULL, 'a row recorded now, 2 h ahead, is refused (23514)');
DELETE FROM quota.activity WHERE occurred_at > '2026-11-20';

-- TRUNCATE is refused only when closed activity exists.  Here the only
-- October activity is recorded and deleted before October is closed: no
-- activity of a closed period remains, so TRUNCATE must work.
SAVEPOINT truncate_check;
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('c_hel', 'call', '2026-10-12 10:00+00', 1);
DELETE FROM quota.activity WHERE rep_id = 'c_hel';
SELECT is(quota.close_period('2026-10-31'), '2026-10-31'::date, 'October is closed');
SELECT is((SELECT count(*)::int FROM quota.activity WHERE occurred_at < '2026-11-01'), 0,
          'no activity of the closed period exists');
SELECT lives_ok('TRUNCATE quota.activity, quota.activity_credit',
                'TRUNCATE of activity is allowed when no activity of a closed period exists');
ROLLBACK TO truncate_check;

-- Closed periods.  Before the close: activity on 10 October and 5 November
-- (UTC), and for reps in other time zones near the boundary.
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id) VALUES
    ('c_utc', 'call', '2026-10-10 10:00+00', 2, 'oct-10'),
    ('c_utc', 'call', '2026-11-05 10:00+00', 5, 'nov-05');

SELECT is(quota.close_period('2026-10-31'), '2026-10-31'::date, 'quota.close_period returns the day closed');
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('c_utc', 'call', '2026-10-20 10:00+00')$$,
                 '23514', NULL, 'inserting activity in a closed period is refused (23514)');
SELECT throws_ok($$UPDATE quota.activity SET qty = 20 WHERE external_id = 'oct-10'$$,
                 '23514', NULL, 'changing activity of a closed period is refused (23514)');
SELECT throws_ok($$DELETE FROM quota.activity WHERE external_id = 'oct-10'$$,
                 '23514', NULL, 'deleting activity of a closed period is refused (23514)');
SELECT throws_ok($$UPDATE quota.activity SET occurred_at = '2026-10-31 23:00+00' WHERE external_id = 'nov-05'$$,
                 '23514', NULL, 'moving open activity into a closed period is refused (23514)');
-- 2026-11-01 05:00+00 is 2026-10-31 22:00 in Los Angeles (PDT, -07): closed for that rep.
SELECT throws_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('c_la', 'call', '2026-11-01 05:00+00')$$,
                 '23514', NULL, 'the close follows the rep''s time zone: 31 October 22:00 in Los Angeles is closed');
-- 2026-10-31 16:30+00 is 2026-11-01 01:30 in Tokyo (+09): open for that rep.
SELECT lives_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at) VALUES ('c_tokyo', 'call', '2026-10-31 16:30+00')$$,
                'the close follows the rep''s time zone: 1 November 01:30 in Tokyo is open');
SELECT lives_ok($$INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id) VALUES ('c_utc', 'call', '2026-11-01 00:00+00', 1, 'nov-01')$$,
                'inserting activity in the open period (the first day after the close) works');
SELECT lives_ok($$UPDATE quota.activity SET qty = 6 WHERE external_id = 'nov-05'$$,
                'changing activity of the open period works');
SELECT lives_ok($$DELETE FROM quota.activity WHERE external_id = 'nov-01'$$,
                'deleting activity of the open period works');
SELECT throws_ok($$SELECT quota.close_period('2026-10-15')$$, '55000', 'periods are already closed through 2026-10-31',
                 'closing an earlier day again is refused (55000)');
SELECT throws_ok($$SELECT quota.close_period('2026-10-31')$$, '55000', NULL,
                 'closing the same day again is refused (55000)');
SELECT throws_ok($$SELECT quota.close_period(NULL)$$, '22023', NULL,
                 'closing through NULL is refused (22023)');
SELECT throws_ok($$TRUNCATE quota.activity, quota.activity_credit$$, '23514', 'cannot truncate quota.activity: it holds activity of a closed period',
                 'TRUNCATE of activity holding closed activity is refused (23514)');
-- The refused statements changed nothing: 2 (10 Oct) and 6 (5 Nov) for c_utc.
SELECT results_eq($$SELECT day, sum(qty) FROM quota.daily_total WHERE rep_id = 'c_utc' GROUP BY day HAVING sum(qty) <> 0 ORDER BY day$$,
                  $$VALUES ('2026-10-10'::date, 2::numeric), ('2026-11-03', 7), ('2026-11-05', 6)$$,
                  'refused changes left the totals as they were');
SELECT is_empty('SELECT * FROM quota.verify()', 'the totals agree with a recount after the close');

SELECT * FROM finish();
ROLLBACK;
