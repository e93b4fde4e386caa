-- analytics: teams (membership, team progress), the weighted scoreboard and
-- conversion, over one scenario.  Every figure is derived by hand in the
-- comments; as_of is 2026-11-15 12:00 UTC unless said otherwise.
--
-- Wall clocks at as_of (winter time everywhere by then):
--   Europe/Helsinki  EET  +02  14:00 on the 15th
--   Europe/Stockholm CET  +01  13:00 on the 15th
--   UTC                        12:00 on the 15th
--   America/New_York EST  -05  07:00 on the 15th
--   Asia/Tokyo       JST  +09  21:00 on the 15th
-- Weeks start on Monday: ... 5 Oct, 12 Oct, 19 Oct, 26 Oct, 2 Nov, 9 Nov, 16 Nov.
BEGIN;
SET LOCAL datestyle = 'ISO, YMD';

-- The hierarchy: a region, two sub-teams, and a sub-team of a sub-team.
--   emea (Helsinki)
--   ├── nordics (Stockholm)
--   │   └── nordics_inside (UTC)
--   └── south (New York)
INSERT INTO quota.team (team_id, name, parent_id, time_zone) VALUES
    ('emea',           'EMEA region',    NULL,      'Europe/Helsinki'),
    ('nordics',        'Nordics',        'emea',    'Europe/Stockholm'),
    ('south',          'South',          'emea',    'America/New_York'),
    ('nordics_inside', 'Nordics inside', 'nordics', 'UTC');
INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES
    ('kai', 'Kai', 'emea',           'Europe/Helsinki'),
    ('raj', 'Raj', 'nordics',        'Europe/Stockholm'),
    ('sia', 'Sia', 'nordics_inside', 'Asia/Tokyo'),
    ('tom', 'Tom', 'south',          'America/New_York'),
    ('uma', 'Uma', 'south',          'UTC');

INSERT INTO quota.assignment (rep_id, team_id, kind, target, valid) VALUES
    ('raj', NULL, 'call',           '150/month', '[2026-10-01,)'),
    ('raj', NULL, 'email',          '200/month', '[2026-10-01,)'),
    ('raj', NULL, 'social_contact', '50/month',  '[2026-10-01,)'),
    ('raj', NULL, 'opportunity',    '0/month',   '[2026-10-01,)'),  -- no quota: left out of scores
    ('sia', NULL, 'call',           '100/month', '[2026-10-01,)'),
    ('sia', NULL, 'email',          '100/month', '[2026-10-01,)'),
    ('tom', NULL, 'call',           '100/month', '[2026-10-01,)'),
    ('tom', NULL, 'social_contact', '50/week',   '[2026-10-01,)'),  -- weekly, prorated to months
    ('uma', NULL, 'call',           '100/month', '[2026-10-01,)'),
    ('kai', NULL, 'email',          '100/month', '[2026-10-01,)'),
    ('kai', NULL, 'meeting',        '10/month',  '[2026-10-01,)'),
    -- Team quotas: emea's own monthly call quota starts mid-November; south
    -- has a quarterly one.
    (NULL, 'emea',  'call', '1000/month',  '[2026-11-11,)'),
    (NULL, 'south', 'call', '900/quarter', '[2026-10-01,)');

INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    -- raj, Stockholm.  October is the domain example: 150 calls, 200 emails,
    -- 50 social contacts and 30 opportunities.
    ('raj', 'call',           '2026-10-06 10:00 Europe/Stockholm', 150),
    ('raj', 'email',          '2026-10-07 10:00 Europe/Stockholm', 200),
    ('raj', 'social_contact', '2026-10-08 10:00 Europe/Stockholm', 50),
    ('raj', 'opportunity',    '2026-10-30 10:00 Europe/Stockholm', 30),
    ('raj', 'email',          '2026-11-04 10:00 Europe/Stockholm', 30),
    ('raj', 'call',           '2026-11-05 10:00 Europe/Stockholm', 60),
    ('raj', 'call',           '2026-11-15 12:30 Europe/Stockholm', 10),  -- 11:30 UTC: before as_of
    ('raj', 'opportunity',    '2026-11-15 12:30 Europe/Stockholm', 5),
    ('raj', 'call',           '2026-11-15 13:30 Europe/Stockholm', 7),   -- 12:30 UTC: after as_of, same day
    ('raj', 'opportunity',    '2026-11-15 13:30 Europe/Stockholm', 2),
    ('raj', 'email',          '2026-11-20 10:00 Europe/Stockholm', 9),   -- a later day
    -- sia, Tokyo: several rows fall on another day (and week) than in UTC.
    ('sia', 'call',           '2026-10-10 10:00 Asia/Tokyo', 200),
    ('sia', 'email',          '2026-10-12 10:00 Asia/Tokyo', 50),
    ('sia', 'opportunity',    '2026-10-31 16:00+00', 3),   -- Sun 1 Nov 01:00 in Tokyo
    ('sia', 'call',           '2026-11-03 10:00 Asia/Tokyo', 30),
    ('sia', 'email',          '2026-11-08 16:00+00', 12),  -- Mon 9 Nov 01:00 in Tokyo
    ('sia', 'call',           '2026-11-10 16:00+00', 20),  -- 11 Nov 01:00 in Tokyo
    ('sia', 'email',          '2026-11-14 16:00+00', 8),   -- 15 Nov 01:00 in Tokyo: as_of's local day
    ('sia', 'opportunity',    '2026-11-15 11:00+00', 1),   -- 15 Nov 20:00 in Tokyo: before as_of
    ('sia', 'opportunity',    '2026-11-15 13:00+00', 4),   -- 15 Nov 22:00 in Tokyo: after as_of
    -- tom, New York.
    ('tom', 'call',           '2026-10-10 10:00 America/New_York', 95),
    ('tom', 'social_contact', '2026-10-14 10:00 America/New_York', 310),
    ('tom', 'new_customer',   '2026-10-22 10:00 America/New_York', 4),
    ('tom', 'call',           '2026-11-01 03:30+00', 5),   -- Sat 31 Oct 23:30 EDT: October
    ('tom', 'call',           '2026-11-12 10:00 America/New_York', 40),
    ('tom', 'call',           '2026-11-15 11:30+00', 5),   -- 06:30 EST on the 15th: before as_of
    -- uma, UTC: September has outcomes and no effort.
    ('uma', 'new_customer',   '2026-09-20 10:00+00', 1),
    ('uma', 'revenue',        '2026-09-20 10:00+00', 5000),
    ('uma', 'call',           '2026-10-09 10:00+00', 80),
    ('uma', 'call',           '2026-11-02 10:00+00', 30),
    ('uma', 'call',           '2026-11-13 10:00+00', 15),
    -- kai, Helsinki: calls without a call quota of his own.
    ('kai', 'email',          '2026-10-05 10:00 Europe/Helsinki', 150),
    ('kai', 'meeting',        '2026-10-06 10:00 Europe/Helsinki', 10),
    ('kai', 'call',           '2026-11-10 10:00 Europe/Helsinki', 3),   -- before emea's quota
    ('kai', 'call',           '2026-11-10 22:30+00', 4),                -- 11 Nov 00:30 in Helsinki
    ('kai', 'call',           '2026-11-12 10:00 Europe/Helsinki', 25);

--------------------------------------------------------------------------
-- 1. quota.team_membership: every rep of every team at any depth.
--   emea: kai (itself, 0), raj (nordics, 1), tom and uma (south, 1),
--         sia (nordics_inside, 2)
--   nordics: raj (0), sia (nordics_inside, 1)
--   nordics_inside: sia (0)
--   south: tom (0), uma (0)
-- 10 rows.
SELECT team_id, rep_id, via_team_id, depth
  FROM quota.team_membership
 ORDER BY team_id, depth, rep_id;

--------------------------------------------------------------------------
-- 2. quota.team_progress_as_of, calls by month.
--
-- Calls per rep and local month (before as_of):
--   raj  Oct 150;  Nov 60 (5th) + 10 (15th 12:30) = 70  (the 13:30 row is after as_of)
--   sia  Oct 200;  Nov 30 (3rd) + 20 (11th, Tokyo) = 50
--   tom  Oct 95 + 5 (31 Oct 23:30 EDT) = 100;  Nov 40 + 5 (15th 06:30 EST) = 45
--   uma  Oct 80;   Nov 30 + 15 = 45
--   kai  no call quota; Nov 3 (10th) + 4 (11th 00:30 Helsinki) + 25 (12th) = 32
--
-- October (ended; elapsed 1.0000 everywhere).  No team has a monthly call
-- quota of its own in October, so each row is the sum of its members' rows:
--   emea: raj 150 + sia 100 + tom 100 + uma 100 = 450 target (kai holds no
--         call quota: members 4); actual 150 + 200 + 100 + 80 = 530;
--         attainment 530/450 = 1.17777... -> 1.1778; surplus 80.00; met
--   nordics: raj 150 + sia 100 = 250; actual 150 + 200 = 350; 1.4000; surplus 100.00; met; members 2
--   nordics_inside: sia 100; actual 200; 2.0000; surplus 100.00; met; members 1
--   south (its own quota is quarterly, another unit): tom 100 + uma 100 = 200;
--         actual 100 + 80 = 180; 0.9000; shortfall 20.00; missed; members 2
--   attainment_rank: nordics_inside 1, nordics 2, emea 3, south 4
--   shortfall_rank: south 1 (the only one short)
--   sibling_rank: emea 1 (top level, alone); under emea nordics 1.4 -> 1,
--         south 0.9 -> 2; under nordics nordics_inside 1
--   expected_to_date = target; projected = actual; pace = attainment
--
-- November at as_of:
--   emea has its own 1000/month from 11 Nov: [11 Nov, 1 Dec) = 20 of 30 days,
--     target 1000 * 20/30 = 666.666... -> 666.67; actual = every rep of emea
--     and its sub-teams at any depth from their local 11 Nov:
--     raj 10 + sia 20 + tom 45 + uma 15 + kai (4 + 25) = 119; members 5 (all reps).
--     attainment 119 / (2000/3) = 357/2000 = 0.1785; shortfall 547.666... -> 547.67
--     elapsed in Helsinki (14:00 on the 15th): (4 + 14/24) / 20 = 11/48 = 0.229166... -> 0.2292
--       (in UTC it would be 4.5/20 = 0.2250)
--     expected (2000/3) * 11/48 = 152.777... -> 152.78; projected 119 * 48/11 = 519.2727... -> 519.27
--     pace 119 / 152.777... = 0.77890... -> 0.7789; behind (519.27 < 666.67)
--   nordics (members' rows): target 250, actual 70 + 50 = 120, attainment 0.4800, shortfall 130.00
--     elapsed in Stockholm (13:00): (14 + 13/24)/30 = 349/720 = 0.48472... -> 0.4847
--     expected 250 * 349/720 = 121.1805... -> 121.18; projected 120 * 720/349 = 247.564... -> 247.56
--     pace 120 / 121.1805... = 0.99025... -> 0.9903; behind (247.56 < 250); members 2
--   nordics_inside (members' rows): target 100, actual 50, 0.5000, shortfall 50.00
--     elapsed in UTC: 14.5/30 = 0.48333 -> 0.4833; expected 48.33;
--     projected 50 * 30/14.5 = 103.448... -> 103.45; pace 1.0345; on_track; members 1
--   south (members' rows): target 200, actual 45 + 45 = 90, 0.4500, shortfall 110.00
--     elapsed in New York (07:00): (14 + 7/24)/30 = 343/720 = 0.47638... -> 0.4764
--     expected 200 * 343/720 = 95.277... -> 95.28; projected 90 * 720/343 = 188.921... -> 188.92
--     pace 90 / 95.277... = 0.94460... -> 0.9446; behind; members 2
--   attainment_rank: nordics_inside 0.5 -> 1, nordics 0.48 -> 2, south 0.45 -> 3, emea 0.1785 -> 4
--   shortfall_rank: emea 547.67 -> 1, nordics 130 -> 2, south 110 -> 3, nordics_inside 50 -> 4
--   sibling_rank: emea 1; nordics 1, south 2; nordics_inside 1
SELECT team_id, parent_id, period_start, period_end, target, actual, attainment, shortfall, surplus, met,
       elapsed, expected_to_date, projected, pace, status, attainment_rank, shortfall_rank, members, sibling_rank
  FROM quota.team_progress_as_of('2026-11-15 12:00+00')
 WHERE kind = 'call' AND period_unit = 'month'
 ORDER BY period_start, team_id;

-- south's own quarterly call quota, 900/quarter: Q4 = [1 Oct, 1 Jan), 92 days.
--   actual = tom and uma from 1 Oct: 100 + 80 + 45 + 45 = 270; members 2;
--   attainment 270/900 = 0.3000; shortfall 630.00
--   elapsed in New York (07:00 on 15 Nov): (31 + 14 + 7/24) / 92 = 1087/2208 = 0.49230... -> 0.4923
--   expected 900 * 1087/2208 = 443.0706... -> 443.07; projected 270 * 2208/1087 = 548.4452... -> 548.45
--   pace 270 / 443.0706... = 0.60938... -> 0.6094; behind; the only quarterly row: ranks 1, 1, 1
SELECT team_id, period_unit, period_start, period_end, target, actual, attainment, shortfall, met,
       elapsed, expected_to_date, projected, pace, status, attainment_rank, shortfall_rank, members, sibling_rank
  FROM quota.team_progress_as_of('2026-11-15 12:00+00')
 WHERE kind = 'call' AND period_unit <> 'month'
 ORDER BY team_id, period_start;

-- Emails and opportunities in October (members' rows only; south has no such quotas: no rows):
--   emails: emea = raj 200/200 + sia 50/100 + kai 150/100: target 400, actual 400,
--           1.0000, met, members 3;
--           nordics = raj + sia: 300, 250, 0.8333 (250/300), shortfall 50.00, missed, members 2;
--           nordics_inside = sia: 100, 50, 0.5000, shortfall 50.00, missed, members 1.
--           attainment_rank 1, 2, 3; shortfall 50 and 50 share shortfall_rank 1;
--           sibling_rank 1 each (south has no email row).
--   opportunities: raj's 0/month: emea and nordics target 0.00, actual 30,
--           attainment NULL, surplus 30.00, met, not ranked, members 1.
SELECT team_id, kind, target, actual, attainment, shortfall, surplus, met, status,
       attainment_rank, shortfall_rank, members, sibling_rank
  FROM quota.team_progress_as_of('2026-11-15 12:00+00')
 WHERE kind IN ('email', 'opportunity') AND period_unit = 'month' AND period_start = '2026-10-01'
 ORDER BY kind, team_id;

-- Units do not mix: emea's social contacts are raj's 50/month (one monthly
-- row: 50 of 50, met) and tom's 50/week (weekly rows, also under south).
--   week of 5 Oct: 50, 0, missed; 12 Oct: 50, 310 (tom on the 14th), 6.2000, met;
--   19 Oct and 26 Oct: 50, 0, missed.  In each week emea and south tie: rank 1 and 1.
SELECT team_id, period_unit, period_start, target, actual, attainment, status, attainment_rank, members
  FROM quota.team_progress_as_of('2026-11-15 12:00+00')
 WHERE kind = 'social_contact' AND period_start BETWEEN '2026-10-01' AND '2026-10-31'
 ORDER BY period_unit, period_start, team_id;

--------------------------------------------------------------------------
-- 3. quota.scoreboard_as_of, by month (default unit), all weights 1, cap 1.5.
--
-- October (all reps' months ended):
--   kai: email 150/100 = 1.5, meeting 10/10 = 1.0 -> (1.5 + 1.0)/2 = 1.2500; met_all
--   tom: call 100/100 = 1.0; social 50/week over October = 50 * 31/7 = 221.43,
--        310 / (1550/7) = 1.4 -> (1.0 + 1.4)/2 = 1.2000; met_all
--   raj: call 150/150, email 200/200, social 50/50 = 1.0 each; opportunity
--        0/month left out: kinds 3 -> 1.0000; met_all
--   sia: call 200/100 = 2.0, capped to 1.5; email 50/100 = 0.5 -> (1.5 + 0.5)/2 = 1.0000; not met_all
--   uma: call 80/100 = 0.8000; not met_all
--   rank: kai 1, tom 2, raj 3, sia 3 (tie), uma 5
--   over_quota_rank (met_all only): kai 1, tom 2, raj 3
-- November (targets for the whole month, actuals to as_of):
--   uma: 45/100 = 0.4500
--   sia: call 50/100 = 0.5, email (12 + 8)/100 = 0.2 -> 0.3500
--   tom: call 45/100 = 0.45, social 0 / (50 * 30/7) = 0 -> 0.2250
--   raj: call 70/150, email 30/200, social 0/50 -> (7/15 + 3/20 + 0)/3 = 37/180 = 0.20555... -> 0.2056
--   kai: email 0/100, meeting 0/10 -> 0.0000
--   rank 1..5 in that order; nobody met every target: no over_quota_rank
SELECT rep_id, team_id, period_start, period_end, kinds, score, met_all, rank, over_quota_rank
  FROM quota.scoreboard_as_of('2026-11-15 12:00+00')
 ORDER BY period_start, rank, rep_id;

-- The cap is a setting.  At 1.2, October:
--   kai (1.2 + 1.0)/2 = 1.1000; tom (1.0 + min(1.4, 1.2))/2 = 1.1000: tie, rank 1 and 1
--   raj 1.0000 -> 3; sia (1.2 + 0.5)/2 = 0.8500 -> 4; uma 0.8000 -> 5
--   over_quota_rank: kai 1, tom 1, raj 3
SET LOCAL quota.score_cap = 1.2;
SELECT rep_id, kinds, score, met_all, rank, over_quota_rank
  FROM quota.scoreboard_as_of('2026-11-15 12:00+00')
 WHERE period_start = '2026-10-01'
 ORDER BY rank, rep_id;
RESET quota.score_cap;

-- By quarter: Q4 = [1 Oct, 1 Jan); monthly quotas count 3 months, the weekly
-- one 50 * 92/7 = 4600/7; actuals from 1 Oct to as_of.
--   sia: call (200 + 50)/300 = 5/6, email (50 + 12 + 8)/300 = 7/30 -> (25/30 + 7/30)/2 = 0.5333
--   tom: call (100 + 45)/300 = 29/60 = 0.48333, social 310 / (4600/7) = 0.47391...
--        -> 0.47753... -> 0.4775
--   uma: call (80 + 45)/300 = 5/12 = 0.41666... -> 0.4167
--   kai: email 150/300 = 0.5, meeting 10/30 = 1/3 -> 5/12 = 0.4167: a tie with uma
--   raj: call 220/450 = 0.48888, email 230/600 = 0.38333, social 50/150 = 0.33333
--        -> 217/540 = 0.40185... -> 0.4019
--   rank: sia 1, tom 2, kai 3, uma 3, raj 5; nobody met every target
SELECT rep_id, period_start, period_end, kinds, score, met_all, rank, over_quota_rank
  FROM quota.scoreboard_as_of('2026-11-15 12:00+00', 'quarter')
 ORDER BY rank, rep_id;

-- Weights come from quota.activity_kind.  With calls weighing 3, October:
--   kai (no calls) 1.2500; sia (3 * 1.5 + 1 * 0.5)/4 = 1.2500: tie, rank 1 and 1
--   tom (3 * 1.0 + 1.4)/4 = 1.1000 -> 3; raj (3 + 1 + 1)/5 = 1.0000 -> 4; uma 0.8000 -> 5
--   over_quota_rank: kai 1, tom 2, raj 3
UPDATE quota.activity_kind SET weight = 3 WHERE kind = 'call';
SELECT rep_id, kinds, score, met_all, rank, over_quota_rank
  FROM quota.scoreboard_as_of('2026-11-15 12:00+00')
 WHERE period_start = '2026-10-01'
 ORDER BY rank, rep_id;
UPDATE quota.activity_kind SET weight = 1 WHERE kind = 'call';

--------------------------------------------------------------------------
-- 4. quota.conversion_as_of: outcomes over effort (call, email,
-- social_contact, statement_of_work, demo, meeting), by month.
--   kai Oct: 150 + 10 = 160, no outcomes;    Nov: calls 3 + 4 + 25 = 32
--   raj Oct: 150 + 200 + 50 = 400, 30 opportunities -> 30/400 = 0.0750 (the domain example)
--       Nov: 30 + 60 + 10 = 100 (the 7 calls at 13:30 are after as_of),
--            5 opportunities (not the 2 at 13:30) -> 0.0500
--   sia Oct: 200 + 50 = 250, no opportunity (the 3 of 31 Oct 16:00 UTC fall on 1 Nov in Tokyo)
--       Nov: 30 + 12 + 20 + 8 = 70, opportunities 3 + 1 = 4 (not the 4 at 22:00) -> 4/70 = 0.05714... -> 0.0571
--   tom Oct: 95 + 310 + 5 = 410, 4 new customers -> 4/410 = 0.009756... -> 0.0098
--       Nov: 40 + 5 = 45
--   uma Sep: no effort; 1 new customer -> rate NULL (and NULL for every outcome kind)
--       Oct: 80; Nov: 30 + 15 = 45
SELECT rep_id, team_id, period_start, period_end, effort, outcome_kind, outcomes, rate
  FROM quota.conversion_as_of('2026-11-15 12:00+00')
 WHERE outcome_kind IN ('new_customer', 'opportunity')
 ORDER BY rep_id, period_start, outcome_kind;

-- Every outcome kind has a row; uma's September: revenue 5000 with no effort.
SELECT outcome_kind, effort, outcomes, rate
  FROM quota.conversion_as_of('2026-11-15 12:00+00')
 WHERE rep_id = 'uma' AND period_start = '2026-09-01'
 ORDER BY outcome_kind;

-- The moment cuts inside a day.  raj's rows of 12:30 in Stockholm are at
-- 11:30 UTC, those of 13:30 at 12:30 UTC.  November, opportunities:
--   at 11:30 UTC exactly the 11:30 rows are not yet before the moment:
--     effort 30 + 60 = 90, opportunities 0 -> 0.0000
--   one microsecond later they count: effort 100, opportunities 5 -> 0.0500
--   at 13:00 UTC the 12:30 UTC rows count too: effort 100 + 7 = 107,
--     opportunities 5 + 2 = 7 -> 7/107 = 0.06542... -> 0.0654
SELECT m.label, c.effort, c.outcomes, c.rate
  FROM (VALUES (1, '11:30 UTC', timestamptz '2026-11-15 11:30+00'),
               (2, '11:30 UTC + 1 us', '2026-11-15 11:30:00.000001+00'),
               (3, '13:00 UTC', '2026-11-15 13:00+00')) AS m(n, label, as_of)
 CROSS JOIN LATERAL quota.conversion_as_of(m.as_of) AS c
 WHERE c.rep_id = 'raj' AND c.outcome_kind = 'opportunity' AND c.period_start = '2026-11-01'
 ORDER BY m.n;

-- By week, in each rep's own weeks:
--   raj: [5 Oct) 150 + 200 + 50 = 400, none; [26 Oct) 30 opportunities, no effort -> NULL;
--        [2 Nov) 30 + 60 = 90; [9 Nov) 10 calls, 5 opportunities -> 0.5000;
--        nothing on or after 16 Nov (the email of the 20th is after as_of)
--   sia: [5 Oct) 200 (Sat 10 Oct); [12 Oct) 50; [26 Oct) 3 opportunities on Sun 1 Nov, no effort -> NULL;
--        [2 Nov) 30 (the 12 emails of Sun 8 Nov 16:00 UTC are Mon 9 Nov in Tokyo);
--        [9 Nov) 12 + 20 + 8 = 40, 1 opportunity -> 0.0250
SELECT rep_id, period_start, period_end, effort, outcomes, rate
  FROM quota.conversion_as_of('2026-11-15 12:00+00', 'week')
 WHERE rep_id IN ('raj', 'sia') AND outcome_kind = 'opportunity'
 ORDER BY rep_id, period_start;

--------------------------------------------------------------------------
-- 5. Equal scores share a rank however they are made up.  Two reps without a
-- team, quotas for September only (no one else has a September quota):
--   vic: call 30/month, 10 done -> 1/3 -> 0.3333
--   wes: call 60/month, 10 done -> 1/6; email 2/month, 1 done -> 1/2;
--        (1/6 + 1/2)/2 = 1/3 -> 0.3333
--   the same score: rank 1 and 1 (rank() semantics), neither met every target.
INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('vic', 'Vic', 'UTC'), ('wes', 'Wes', 'UTC');
INSERT INTO quota.assignment (rep_id, kind, target, valid) VALUES
    ('vic', 'call',  '30/month', '[2026-09-01,2026-10-01)'),
    ('wes', 'call',  '60/month', '[2026-09-01,2026-10-01)'),
    ('wes', 'email', '2/month',  '[2026-09-01,2026-10-01)');
INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES
    ('vic', 'call',  '2026-09-10 10:00+00', 10),
    ('wes', 'call',  '2026-09-10 10:00+00', 10),
    ('wes', 'email', '2026-09-11 10:00+00', 1);
SELECT rep_id, kinds, score, met_all, rank, over_quota_rank
  FROM quota.scoreboard_as_of('2026-11-15 12:00+00')
 WHERE period_start = '2026-09-01'
 ORDER BY rep_id;

--------------------------------------------------------------------------
-- 6. The views are the functions at now().
SELECT (SELECT count(*) > 0 FROM quota.team_progress) AS has_rows,
       (SELECT count(*) FROM (SELECT * FROM quota.team_progress
                              EXCEPT ALL SELECT * FROM quota.team_progress_as_of(now())) d) AS only_view,
       (SELECT count(*) FROM (SELECT * FROM quota.team_progress_as_of(now())
                              EXCEPT ALL SELECT * FROM quota.team_progress) d) AS only_function;
SELECT (SELECT count(*) > 0 FROM quota.scoreboard) AS has_rows,
       (SELECT count(*) FROM (SELECT * FROM quota.scoreboard
                              EXCEPT ALL SELECT * FROM quota.scoreboard_as_of(now())) d) AS only_view,
       (SELECT count(*) FROM (SELECT * FROM quota.scoreboard_as_of(now())
                              EXCEPT ALL SELECT * FROM quota.scoreboard) d) AS only_function;
SELECT (SELECT count(*) > 0 FROM quota.conversion) AS has_rows,
       (SELECT count(*) FROM (SELECT * FROM quota.conversion
                              EXCEPT ALL SELECT * FROM quota.conversion_as_of(now())) d) AS only_view,
       (SELECT count(*) FROM (SELECT * FROM quota.conversion_as_of(now())
                              EXCEPT ALL SELECT * FROM quota.conversion) d) AS only_function;

--------------------------------------------------------------------------
-- 7. A filter on period_start reaches team progress and the scoreboard,
-- which run as whole functions: it narrows their argument period_starts
-- (src/period_filter.c), and their rows, ranks included, are those the
-- whole computation keeps under the same filter.  Each filter is read on
-- the whole rows (OFFSET 0 keeps it out) and on the function; rows only
-- in one of them: none.
CREATE FUNCTION pg_temp.narrowed_differences(query text, filter text) RETURNS TABLE (rows bigint, only_whole bigint, only_narrowed bigint)
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH whole AS (SELECT * FROM (SELECT * FROM %1$s OFFSET 0) w WHERE %2$s),
              narrowed AS (SELECT * FROM %1$s WHERE %2$s)
         SELECT (SELECT count(*) FROM narrowed),
                (SELECT count(*) FROM (TABLE whole EXCEPT ALL TABLE narrowed) d),
                (SELECT count(*) FROM (TABLE narrowed EXCEPT ALL TABLE whole) d)', query, filter);
END
$$;
SELECT q.query, f.filter, d.*
  FROM (VALUES ($$quota.team_progress_as_of('2026-11-15 12:00+00')$$),
               ($$quota.scoreboard_as_of('2026-11-15 12:00+00')$$),
               ($$quota.scoreboard_as_of('2026-11-15 12:00+00', 'quarter')$$)) AS q(query)
 CROSS JOIN (VALUES ($$period_start = '2026-11-01'$$),
                    ($$period_start = '2026-10-01'$$),
                    ($$period_start >= '2026-10-15'$$),
                    ($$period_start < '2026-10-01'$$),
                    ($$period_start BETWEEN '2026-09-01' AND '2026-10-31'$$),
                    ($$period_start > '2026-10-01' AND period_start <= '2026-11-01'$$),
                    ($$period_start = '2026-11-02'$$),
                    ($$period_start = timestamptz '2026-11-01'$$)) AS f(filter)
 CROSS JOIN LATERAL pg_temp.narrowed_differences(q.query, f.filter) AS d
 ORDER BY q.query, f.filter;
-- The filter narrows the argument: the function is told the starts.
SELECT public.plan_function_calls($$SELECT * FROM quota.team_progress WHERE period_start = '2026-11-01'$$);
SELECT public.plan_function_calls($$SELECT * FROM quota.scoreboard WHERE period_start > '2026-10-01'$$);
-- Called with the starts, the functions give those periods' rows.
SELECT team_id, kind, period_unit, period_start, target, actual, attainment_rank, sibling_rank
  FROM quota.team_progress_as_of('2026-11-15 12:00+00', daterange('2026-10-01', '2026-10-01', '[]'))
 ORDER BY team_id, kind, period_unit;
SELECT count(*) AS no_starts
  FROM quota.scoreboard_as_of('2026-11-15 12:00+00', 'month', 'empty');
ROLLBACK;
