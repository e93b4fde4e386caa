# Live totals of activity that arrives by logical replication.
#
# quota_ext's row triggers on quota.activity are enabled ALWAYS, so they fire
# in the apply process of a subscription (and in its tablesync workers, which
# also fire the statement triggers); the deltas that no statement trigger
# writes are written at commit.  The triggers of tracked tables are enabled
# ALWAYS too.  Three scenarios, each with a publisher node of its own and a
# subscriber node with quota_ext:
#
#  A. The app's server does not have the extension: it publishes a plain
#     table quota.activity (explicit activity_id values) to a subscriber that
#     has the extension and the reps (UTC, America/New_York, Asia/Tokyo).
#     Rows present before the subscription (the initial copy, counted once),
#     single-row inserts in transactions of their own, a multi-row insert
#     in one transaction, an update that moves a row to another rep (and
#     changes its qty), an update that moves a row across midnight in its
#     rep's time zone, a delete, every row deleted and new inserts (the
#     publication leaves TRUNCATE out: see B).
#  B. A server with quota_ext publishes quota.rep, quota.activity and
#     quota.activity_credit (never quota.daily_total) to another with
#     quota_ext: reps and activity before and after the subscription, a row
#     moved between reps, a delete, a rep's time zone changed, a TRUNCATE of
#     the activity and its credits; then a bulk loader on the subscriber
#     (session_replication_role = replica) inserting directly.
#  C. The app's server (without the extension) publishes tables of its own,
#     crm.calls and crm.invoices, with TRUNCATE; the subscriber has the same
#     tables and tracks them (calls: outbound ones, 1 a row, on the rep's
#     local day; invoices: the amount, on the date issued).  The initial
#     copy (counted once), single-row inserts, a multi-row transaction, an
#     update moving a call and an invoice to another rep, an update making a
#     call match the filter and one making a call stop matching it, deletes,
#     rows of reps the subscriber does not have (they wait in
#     quota.unmatched; one rep is then created on the subscriber: its rows
#     count), a TRUNCATE of crm.calls (the BEFORE TRUNCATE trigger of the
#     tracking fires in the apply process: the calls and the row still
#     waiting are taken back, the invoices stay) and an insert after it.
#
# After each step, once the subscriber has caught up: quota.verify() is
# empty there, its totals per rep, kind and day (summed over the slots of
# quota.daily_total) equal a recount of its quota.activity done here in SQL,
# and, where written out, the figures computed by hand (local days that
# differ from the UTC day); in B, they also equal the publisher's totals.
# In C the totals are those of each tracking (qty and rows), the recount is
# done here in SQL from the subscriber's crm tables, and the rows waiting
# in quota.unmatched are checked too.
# No ERROR is in a subscriber's log (apart from the ones this test causes on
# purpose, which are skipped).  A probe of what logical replication does to
# the identity column activity_id is reported; quota.activity_kind
# published replaces the subscriber's shipped kinds.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time sleep);

# Never hang: give up (and stop the nodes, in the modules' END block).
local $SIG{ALRM} = sub { BAIL_OUT('logical replication test timed out'); };
alarm(300);

# How long a step may take to reach the subscriber before it counts as
# stuck (a step takes well under a second); once a subscription is stuck,
# the next steps wait only briefly.
my $catchup_seconds = 10;
my $stuck_seconds = 2;
my %stuck;

my $totals_sql = q{SELECT rep_id, kind, day, sum(qty) FROM quota.daily_total
	GROUP BY 1, 2, 3 HAVING sum(qty) <> 0 ORDER BY 1, 2, 3};
# The recount, independent of the extension: the local day of each row.
my $recount_sql = q{SELECT a.rep_id, a.kind, (a.occurred_at AT TIME ZONE r.time_zone)::date, sum(a.qty)
	FROM quota.activity a JOIN quota.rep r USING (rep_id) GROUP BY 1, 2, 3 ORDER BY 1, 2, 3};

sub new_node
{
	my ($name, $publisher) = @_;
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init($publisher ? (allows_streaming => 'logical') : ());
	$node->append_conf('postgresql.conf', <<'CONF');
timezone = 'UTC'
log_min_messages = warning
wal_retrieve_retry_interval = '1s'
CONF
	$node->start;
	return $node;
}

# Where the node's log ends now: errors before it are not looked at.
sub log_position
{
	my ($node) = @_;
	return -s $node->logfile;
}

# The ERROR lines of the node's log since $from, each with the lines that
# follow it (DETAIL, HINT, CONTEXT, STATEMENT).
sub log_errors
{
	my ($node, $from) = @_;
	my @lines = split /\n/, substr(slurp_file($node->logfile), $from // 0);
	my @errors;
	for my $i (0 .. $#lines)
	{
		next unless $lines[$i] =~ /\bERROR\b/;
		my $text = $lines[$i];
		for my $j ($i + 1 .. $i + 4)
		{
			last if $j > $#lines || $lines[$j] !~ /^\S+ \S+ \S+ \[\d+\] (?:\S+ )?(DETAIL|HINT|CONTEXT|STATEMENT):/;
			$text .= "\n    $lines[$j]";
		}
		push @errors, $text;
	}
	return @errors;
}

# Waits (at most $catchup_seconds) for the subscription to have applied all
# the publisher's WAL so far; then the modules' wait_for_catchup returns at
# once.  False when it did not catch up (the apply worker fails, say).
sub caught_up
{
	my ($publisher, $subname) = @_;
	my $lsn = $publisher->safe_psql('postgres', 'SELECT pg_current_wal_lsn()');
	my $deadline = time() + ($stuck{$subname} ? $stuck_seconds : $catchup_seconds);
	while (time() < $deadline)
	{
		if ($publisher->safe_psql('postgres', qq{
			SELECT coalesce(bool_and(replay_lsn >= '$lsn'), false)
			  FROM pg_stat_replication WHERE application_name = '$subname'}) eq 't')
		{
			$publisher->wait_for_catchup($subname);
			return 1;
		}
		sleep(0.05);
	}
	$stuck{$subname} = 1;
	return 0;
}

# The checks of a step on the subscriber; $expected, if given, lists the
# totals computed by hand (rep|kind|day|qty; [] for none).
sub check_totals
{
	my ($node, $step, $expected) = @_;
	my $verify = $node->safe_psql('postgres', 'SELECT * FROM quota.verify()');
	is($verify, '', "$step: quota.verify() is empty");
	my $totals = $node->safe_psql('postgres', $totals_sql);
	is($totals, $node->safe_psql('postgres', $recount_sql), "$step: totals = recount of quota.activity");
	is($totals, join("\n", @$expected), "$step: totals = figures computed by hand") if $expected;
	return $totals;
}

sub step
{
	my ($publisher, $subscriber, $subname, $step, $sql, $expected) = @_;
	$publisher->safe_psql('postgres', $sql);
	ok(caught_up($publisher, $subname), "$step: the subscriber caught up")
	  or diag("$step: not caught up; the last errors of the subscriber's log:\n"
		  . join("\n", grep { defined } (log_errors($subscriber))[-3 .. -1]));
	return check_totals($subscriber, $step, $expected);
}

my $reps_sql = q{INSERT INTO quota.rep (rep_id, name, time_zone) VALUES
	('r1', 'Rep 1', 'UTC'), ('r2', 'Rep 2', 'America/New_York'), ('r3', 'Rep 3', 'Asia/Tokyo');};

# ===========================================================================
# A. The app's server does not have the extension.

my $pub_a = new_node('app', 1);
my $sub_a = new_node('quota_a', 0);

$pub_a->safe_psql('postgres', q{
	CREATE SCHEMA quota;
	CREATE TABLE quota.activity (
	    activity_id bigint PRIMARY KEY,
	    rep_id      text NOT NULL,
	    kind        text NOT NULL,
	    occurred_at timestamptz NOT NULL,
	    qty         numeric NOT NULL,
	    external_id text UNIQUE,
	    source      text,
	    recorded_at timestamptz NOT NULL DEFAULT now()
	);
	-- Without truncate: the subscriber's quota.activity is referenced by
	-- quota.activity_credit, which the apply process cannot truncate with it.
	CREATE PUBLICATION app_pub FOR TABLE quota.activity WITH (publish = 'insert, update, delete');
	-- Already there when the subscription starts: the initial copy.
	-- 1: r1 (UTC) on 11-10; 2: r2 (New York, UTC-5) on 11-09 21:00 local;
	-- 3: r3 (Tokyo, UTC+9) on 11-11 01:00 local.
	INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id, source) VALUES
	    (1, 'r1', 'call',  '2026-11-10 10:00+00', 2, 'a-1', 'app'),
	    (2, 'r2', 'call',  '2026-11-10 02:00+00', 3, 'a-2', 'app'),
	    (3, 'r3', 'email', '2026-11-10 16:00+00', 5, 'a-3', 'app');});

$sub_a->safe_psql('postgres', "SET client_min_messages = warning; CREATE EXTENSION quota_ext CASCADE; $reps_sql");
$sub_a->safe_psql('postgres', "CREATE SUBSCRIPTION app_sub CONNECTION '" . $pub_a->connstr . ' dbname=postgres'
	  . "' PUBLICATION app_pub WITH (copy_data = true)");
$sub_a->wait_for_subscription_sync($pub_a, 'app_sub');

# The identity column: the apply process (and COPY of the tablesync) store
# the publisher's activity_id values although the subscriber's column is
# GENERATED ALWAYS (they do not go through the rewriter that refuses them).
is($sub_a->safe_psql('postgres', 'SELECT string_agg(activity_id::text, \',\' ORDER BY activity_id) FROM quota.activity'),
	'1,2,3', 'A initial copy: the publisher\'s activity_id values are kept in the GENERATED ALWAYS column');
diag('A: the subscriber\'s identity sequence after the copy (last_value|is_called): '
	  . $sub_a->safe_psql('postgres', 'SELECT last_value || \'|\' || is_called FROM quota.activity_activity_id_seq'));
check_totals($sub_a, 'A initial copy',
	[ 'r1|call|2026-11-10|2',
	  'r2|call|2026-11-09|3',
	  'r3|email|2026-11-11|5' ]);
is($sub_a->safe_psql('postgres', 'SELECT sum(qty) FROM quota.daily_total'), '10',
	'A initial copy: counted once (total 10 = qty of the 3 rows copied, not 20)');

step($pub_a, $sub_a, 'app_sub', 'A single-row inserts',
	q{INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id, source)
	    VALUES (4, 'r1', 'call', '2026-11-12 23:30+00', 1, 'a-4', 'app');
	  INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id, source)
	    VALUES (5, 'r3', 'call', '2026-11-12 14:59+00', 1.5, 'a-5', 'app');  -- Tokyo 11-12 23:59
	  INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id, source)
	    VALUES (6, 'r3', 'call', '2026-11-12 15:00+00', 2, 'a-6', 'app');    -- Tokyo 11-13 00:00
	},
	[ 'r1|call|2026-11-10|2',
	  'r1|call|2026-11-12|1',
	  'r2|call|2026-11-09|3',
	  'r3|call|2026-11-12|1.5',
	  'r3|call|2026-11-13|2',
	  'r3|email|2026-11-11|5' ]);

step($pub_a, $sub_a, 'app_sub', 'A multi-row insert in one transaction',
	q{BEGIN;
	  INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id, source) VALUES
	    (7,  'r2', 'demo', '2026-11-15 03:00+00',    1, 'a-7', 'app'),   -- New York 11-14 22:00
	    (8,  'r2', 'demo', '2026-11-15 05:00+00',    2, 'a-8', 'app'),   -- New York 11-15 00:00
	    (9,  'r2', 'demo', '2026-11-15 04:59:59+00', 4, 'a-9', 'app'),   -- New York 11-14 23:59:59
	    (10, 'r1', 'demo', '2026-11-15 03:00+00',    8, 'a-10', 'app');
	  INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id, source) VALUES
	    (11, 'r2', 'call', '2026-11-09 23:00+00', 10, 'a-11', 'app');    -- New York 11-09 18:00
	  COMMIT;},
	[ 'r1|call|2026-11-10|2',
	  'r1|call|2026-11-12|1',
	  'r1|demo|2026-11-15|8',
	  'r2|call|2026-11-09|13',
	  'r2|demo|2026-11-14|5',
	  'r2|demo|2026-11-15|2',
	  'r3|call|2026-11-12|1.5',
	  'r3|call|2026-11-13|2',
	  'r3|email|2026-11-11|5' ]);

step($pub_a, $sub_a, 'app_sub', 'A update moving a row from r1 to r2 (qty 2 -> 4)',
	# 2026-11-10 10:00 UTC is 05:00 on 11-10 in New York.
	q{UPDATE quota.activity SET rep_id = 'r2', qty = 4 WHERE activity_id = 1},
	[ 'r1|call|2026-11-12|1',
	  'r1|demo|2026-11-15|8',
	  'r2|call|2026-11-09|13',
	  'r2|call|2026-11-10|4',
	  'r2|demo|2026-11-14|5',
	  'r2|demo|2026-11-15|2',
	  'r3|call|2026-11-12|1.5',
	  'r3|call|2026-11-13|2',
	  'r3|email|2026-11-11|5' ]);

step($pub_a, $sub_a, 'app_sub', 'A update moving a row across midnight in New York',
	# 11-09 21:00 -> 11-10 01:00 in New York; the UTC day (11-10) stays.
	q{UPDATE quota.activity SET occurred_at = '2026-11-10 06:00+00' WHERE activity_id = 2},
	[ 'r1|call|2026-11-12|1',
	  'r1|demo|2026-11-15|8',
	  'r2|call|2026-11-09|10',
	  'r2|call|2026-11-10|7',
	  'r2|demo|2026-11-14|5',
	  'r2|demo|2026-11-15|2',
	  'r3|call|2026-11-12|1.5',
	  'r3|call|2026-11-13|2',
	  'r3|email|2026-11-11|5' ]);

step($pub_a, $sub_a, 'app_sub', 'A delete of two rows',
	q{DELETE FROM quota.activity WHERE activity_id IN (3, 9)},
	[ 'r1|call|2026-11-12|1',
	  'r1|demo|2026-11-15|8',
	  'r2|call|2026-11-09|10',
	  'r2|call|2026-11-10|7',
	  'r2|demo|2026-11-14|1',
	  'r2|demo|2026-11-15|2',
	  'r3|call|2026-11-12|1.5',
	  'r3|call|2026-11-13|2' ]);

step($pub_a, $sub_a, 'app_sub', 'A every row deleted',
	q{DELETE FROM quota.activity}, []);

step($pub_a, $sub_a, 'app_sub', 'A inserts after every row was deleted',
	q{INSERT INTO quota.activity (activity_id, rep_id, kind, occurred_at, qty, external_id, source) VALUES
	    (20, 'r3', 'meeting', '2026-11-20 20:00+00', 3, 'a-20', 'app'),  -- Tokyo 11-21 05:00
	    (21, 'r1', 'meeting', '2026-11-20 20:00+00', 1, 'a-21', 'app');},
	[ 'r1|meeting|2026-11-20|1',
	  'r3|meeting|2026-11-21|3' ]);

is($sub_a->safe_psql('postgres', 'SELECT count(*) FROM quota.activity'),
	$pub_a->safe_psql('postgres', 'SELECT count(*) FROM quota.activity'),
	'A: the subscriber has the publisher\'s rows');
{
	my @errors = log_errors($sub_a);
	is(scalar(@errors), 0, 'A: no ERROR in the subscriber\'s log')
	  or diag("A: subscriber log errors (" . scalar(@errors) . "), the first 3:\n" . join("\n", @errors[ 0 .. ($#errors < 2 ? $#errors : 2) ]));
}

# ===========================================================================
# B. A server with quota_ext publishes quota.rep and quota.activity to
# another one with quota_ext.

my $pub_b = new_node('quota_pub', 1);
my $sub_b = new_node('quota_sub', 0);

$pub_b->safe_psql('postgres', "SET client_min_messages = warning; CREATE EXTENSION quota_ext CASCADE; $reps_sql"
	  . q{
	CREATE PUBLICATION q_pub FOR TABLE quota.rep, quota.activity, quota.activity_credit;
	INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) VALUES
	    ('r1', 'call',  '2026-11-10 10:00+00', 2, 'b-1', 'crm'),
	    ('r2', 'call',  '2026-11-10 02:00+00', 3, 'b-2', 'crm'),   -- New York 11-09 21:00
	    ('r3', 'email', '2026-11-10 16:00+00', 5, 'b-3', 'crm');   -- Tokyo 11-11 01:00
	});
$sub_b->safe_psql('postgres', 'SET client_min_messages = warning; CREATE EXTENSION quota_ext CASCADE');
$sub_b->safe_psql('postgres', "CREATE SUBSCRIPTION q_sub CONNECTION '" . $pub_b->connstr . ' dbname=postgres'
	  . "' PUBLICATION q_pub");
$sub_b->wait_for_subscription_sync($pub_b, 'q_sub');
# The initial copy of quota.rep and of quota.activity run in two tablesync
# workers at once, each in a transaction of its own: when the copy of
# activity commits first, its row triggers do not find the reps yet (rep "r1"
# does not exist), and the copy is retried after wal_retrieve_retry_interval
# (1 s here, 5 s by default).  The end is right either way (checked below);
# whether that error shows depends on timing, and no other may.
{
	my @errors = grep { !/ERROR:  rep "r\d" does not exist/ } log_errors($sub_b);
	is(scalar(@errors), 0, 'B: no ERROR in the subscriber\'s log during the initial copy')
	  or diag("B: subscriber log errors during the initial copy (" . scalar(@errors) . "), the first 3:\n"
		  . join("\n", @errors[ 0 .. ($#errors < 2 ? $#errors : 2) ]));
}
my $log_after_sync = log_position($sub_b);

# activity_kind is not published: each server has the kinds its CREATE
# EXTENSION shipped, the same rows.
is($sub_b->safe_psql('postgres', 'SELECT string_agg(kind || \':\' || measure || \':\' || role, \',\' ORDER BY kind) FROM quota.activity_kind'),
	$pub_b->safe_psql('postgres', 'SELECT string_agg(kind || \':\' || measure || \':\' || role, \',\' ORDER BY kind) FROM quota.activity_kind'),
	'B: the subscriber has the same (shipped) activity kinds as the publisher, unpublished');

sub same_as_publisher
{
	my ($step, $sub_totals) = @_;
	is($sub_totals, $pub_b->safe_psql('postgres', $totals_sql), "$step: the subscriber's totals = the publisher's");
	is($pub_b->safe_psql('postgres', 'SELECT count(*) FROM quota.verify()'), '0', "$step: quota.verify() is empty on the publisher");
}

is($sub_b->safe_psql('postgres', 'SELECT string_agg(rep_id || \':\' || time_zone, \',\' ORDER BY rep_id) FROM quota.rep'),
	'r1:UTC,r2:America/New_York,r3:Asia/Tokyo', 'B initial copy: the reps arrived');
same_as_publisher('B initial copy', check_totals($sub_b, 'B initial copy',
	[ 'r1|call|2026-11-10|2',
	  'r2|call|2026-11-09|3',
	  'r3|email|2026-11-11|5' ]));
is($sub_b->safe_psql('postgres', 'SELECT sum(qty) FROM quota.daily_total'), '10',
	'B initial copy: counted once (total 10, not 20)');

same_as_publisher('B new rep and its activity in one transaction', step($pub_b, $sub_b, 'q_sub',
	'B new rep and its activity in one transaction',
	# Auckland is UTC+13 in November: 11-20 12:00 UTC is 11-21 01:00 there.
	q{BEGIN;
	  INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('r4', 'Rep 4', 'Pacific/Auckland');
	  INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
	    VALUES ('r4', 'call', '2026-11-20 12:00+00', 6, 'b-4', 'crm');
	  COMMIT;}));

same_as_publisher('B multi-row insert', step($pub_b, $sub_b, 'q_sub', 'B multi-row insert',
	q{INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) VALUES
	    ('r2', 'demo', '2026-11-15 04:59:59+00', 1, 'b-5', 'crm'),   -- New York 11-14 23:59:59
	    ('r2', 'demo', '2026-11-15 05:00+00',    2, 'b-6', 'crm'),   -- New York 11-15 00:00
	    ('r3', 'demo', '2026-11-14 15:00+00',    4, 'b-7', 'crm');   -- Tokyo 11-15 00:00
	}));

same_as_publisher('B update moving a row from r1 to r3', step($pub_b, $sub_b, 'q_sub',
	'B update moving a row from r1 to r3',
	q{UPDATE quota.activity SET rep_id = 'r3' WHERE external_id = 'b-1'}));   # Tokyo 11-10 19:00

same_as_publisher('B delete', step($pub_b, $sub_b, 'q_sub', 'B delete',
	q{DELETE FROM quota.activity WHERE external_id = 'b-3'},
	[ 'r2|call|2026-11-09|3',
	  'r2|demo|2026-11-14|1',
	  'r2|demo|2026-11-15|2',
	  'r3|call|2026-11-10|2',
	  'r3|demo|2026-11-15|4',
	  'r4|call|2026-11-21|6' ]));

# The subscriber's trigger on quota.rep re-derives the rep's totals there.
same_as_publisher('B time zone of r2 changed to UTC', step($pub_b, $sub_b, 'q_sub',
	'B time zone of r2 changed to UTC',
	q{UPDATE quota.rep SET time_zone = 'UTC' WHERE rep_id = 'r2'},
	[ 'r2|call|2026-11-10|3',
	  'r2|demo|2026-11-15|3',
	  'r3|call|2026-11-10|2',
	  'r3|demo|2026-11-15|4',
	  'r4|call|2026-11-21|6' ]));

# Both tables truncated together on the publisher: the subscriber's
# triggers clear the totals (and recount what the credits moved).
same_as_publisher('B TRUNCATE of the activity and its credits', step($pub_b, $sub_b, 'q_sub',
	'B TRUNCATE of the activity and its credits',
	q{TRUNCATE quota.activity, quota.activity_credit}, []));
same_as_publisher('B insert after the TRUNCATE', step($pub_b, $sub_b, 'q_sub',
	'B insert after the TRUNCATE',
	q{INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
	  VALUES ('r3', 'call', '2026-11-19 15:30+00', 4, 'b-9', 'crm')},   # Tokyo 11-20 00:30
	[ 'r3|call|2026-11-20|4' ]));

{
	my @errors = log_errors($sub_b, $log_after_sync);
	is(scalar(@errors), 0, 'B: no ERROR in the subscriber\'s log (apply after the initial copy)')
	  or diag("B: subscriber log errors (" . scalar(@errors) . "), the first 3:\n" . join("\n", @errors[ 0 .. ($#errors < 2 ? $#errors : 2) ]));
}

# A bulk loader on the subscriber, as replica.  Its rows take activity_id
# from the subscriber's own sequence, which replication does not advance
# (sequences are not replicated): it is still where CREATE EXTENSION left
# it, below the replicated ids, so the user moves it out of their range
# first (README, Activity from another server).
is($sub_b->safe_psql('postgres', q{SELECT s.last_value || '|' || s.is_called || '|' || (SELECT max(activity_id) > s.last_value FROM quota.activity)
                                     FROM quota.activity_activity_id_seq s}),
	'1|false|true', 'B (known limitation): the subscriber\'s activity_id sequence stays behind the replicated ids');
# The user moves the subscriber's sequence out of the publisher's range.
$sub_b->safe_psql('postgres', q{SELECT setval('quota.activity_activity_id_seq', 1000000)});
my $log_after_probe = log_position($sub_b);
$sub_b->safe_psql('postgres', q{
	SET session_replication_role = replica;
	INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
	SELECT 'r' || (1 + i % 4), (ARRAY['call', 'email', 'demo'])[1 + i % 3],
	       '2026-11-16 00:00+00'::timestamptz + i * interval '7 minutes', 1 + i % 5, 'load-' || i, 'loader'
	  FROM generate_series(1, 500) AS i;
	BEGIN;
	INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
	    VALUES ('r3', 'meeting', '2026-11-17 15:00+00', 2, 'load-x1', 'loader');
	UPDATE quota.activity SET rep_id = 'r1', qty = qty + 1 WHERE external_id IN ('load-1', 'load-2', 'load-3');
	DELETE FROM quota.activity WHERE external_id IN ('load-4', 'load-5');
	COMMIT;});
is($sub_b->safe_psql('postgres', q{SELECT count(*) || ' ' || sum(qty) FROM quota.activity WHERE source = 'loader'}),
	'499 1499', 'B loader: its rows are there');
check_totals($sub_b, 'B loader as replica on the subscriber');
# Replication goes on beside the local rows.
step($pub_b, $sub_b, 'q_sub', 'B replicated insert after the loader',
	q{INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
	  VALUES ('r4', 'demo', '2026-11-18 11:00+00', 7, 'b-8', 'crm')});
{
	my @errors = log_errors($sub_b, $log_after_probe);
	is(scalar(@errors), 0, 'B: no ERROR in the subscriber\'s log (loader, apply)')
	  or diag("B: subscriber log errors:\n" . join("\n", @errors[ 0 .. ($#errors < 2 ? $#errors : 2) ]));
}

# ---------------------------------------------------------------------------
# Publishing quota.activity_kind as well.  The subscriber's CREATE
# EXTENSION already made the shipped kinds; the initial copy runs as
# replica, where the BEFORE INSERT trigger activity_kind_restored (enabled
# ALWAYS since 0.5) turns a shipped kind inserted again into an update: the
# copy ends, and the subscriber has the publisher's kinds.
{
	$pub_b->safe_psql('postgres', "UPDATE quota.activity_kind SET weight = 2 WHERE kind = 'demo'");
	$pub_b->safe_psql('postgres', 'CREATE PUBLICATION kind_pub FOR TABLE quota.activity_kind');
	$sub_b->safe_psql('postgres', 'CREATE DATABASE kinds');
	$sub_b->safe_psql('kinds', 'SET client_min_messages = warning; CREATE EXTENSION quota_ext CASCADE');
	my $from = log_position($sub_b);
	$sub_b->safe_psql('kinds', "CREATE SUBSCRIPTION kind_sub CONNECTION '" . $pub_b->connstr . ' dbname=postgres'
		  . "' PUBLICATION kind_pub");
	my ($state, @errors) = ('');
	my $deadline = time() + 30;
	while (time() < $deadline)
	{
		$state = $sub_b->safe_psql('kinds', 'SELECT string_agg(srsubstate::text, \',\') FROM pg_subscription_rel');
		@errors = grep { /activity_kind/ } log_errors($sub_b, $from);
		last if $state eq 'r' || @errors;
		sleep(0.1);
	}
	is($errors[0] // "table state $state", 'table state r',
		'publishing quota.activity_kind to a server with quota_ext: the initial copy replaces the shipped kinds');
	my $kinds = 'SELECT string_agg(kind || \':\' || measure || \':\' || weight || \':\' || role, \',\' ORDER BY kind) FROM quota.activity_kind';
	is($sub_b->safe_psql('kinds', $kinds), $pub_b->safe_psql('postgres', $kinds),
		'publishing quota.activity_kind: the subscriber has the publisher\'s kinds (demo weighs 2)');
	$sub_b->safe_psql('kinds', 'ALTER SUBSCRIPTION kind_sub DISABLE');
	$sub_b->safe_psql('kinds', 'DROP SUBSCRIPTION kind_sub');
	$pub_b->safe_psql('postgres', "UPDATE quota.activity_kind SET weight = 1 WHERE kind = 'demo'");
}

# ===========================================================================
# C. The app's server publishes its own tables (no extension there); the
# quota server subscribes to them and tracks them: crm.calls (outbound
# calls, 1 a row, on the rep's local day) and crm.invoices (the amount, on
# the date issued).

my $pub_c = new_node('crm', 1);
my $sub_c = new_node('quota_c', 0);

my $crm_tables_sql = q{
	CREATE SCHEMA crm;
	CREATE TABLE crm.calls (
	    id         bigint PRIMARY KEY,
	    owner      text,
	    started_at timestamptz NOT NULL,
	    direction  text NOT NULL
	);
	CREATE TABLE crm.invoices (
	    id        bigint PRIMARY KEY,
	    owner     text,
	    amount    numeric NOT NULL,
	    issued_on date NOT NULL
	);};
$pub_c->safe_psql('postgres', $crm_tables_sql . q{
	-- With truncate (the default): the subscriber's tracked tables take
	-- their rows back in a BEFORE TRUNCATE trigger.
	CREATE PUBLICATION crm_pub FOR TABLE crm.calls, crm.invoices;
	-- Already there when the subscription starts: the initial copy.
	-- Calls: 1 r1 (UTC) 11-10; 2 r2 (New York) 11-09 21:00 local;
	-- 3 inbound (not counted); 4 r3 (Tokyo) 11-11 01:00 local.
	INSERT INTO crm.calls (id, owner, started_at, direction) VALUES
	    (1, 'r1', '2026-11-10 10:00+00', 'outbound'),
	    (2, 'r2', '2026-11-10 02:00+00', 'outbound'),
	    (3, 'r3', '2026-11-10 16:00+00', 'inbound'),
	    (4, 'r3', '2026-11-10 16:00+00', 'outbound');
	-- Invoices count on their date, whatever the rep's zone.
	INSERT INTO crm.invoices (id, owner, amount, issued_on) VALUES
	    (1, 'r1', 100.50, '2026-11-10'),
	    (2, 'r2', -20,    '2026-11-09');   -- a credit note counts negative
	});

$sub_c->safe_psql('postgres', "SET client_min_messages = warning; CREATE EXTENSION quota_ext CASCADE; $reps_sql"
	  . $crm_tables_sql . q{
	SELECT quota.track('crm.calls', 'call', 'owner', 'started_at', filter => $$direction = 'outbound'$$);
	SELECT quota.track('crm.invoices', 'revenue', 'owner', 'issued_on', qty => 'amount');});
is($sub_c->safe_psql('postgres', q{SELECT string_agg(tracking_id || ':' || source || ':' || coalesce(filter, '-'), ',' ORDER BY tracking_id) FROM quota.sources}),
	q{1:crm.calls:(direction = 'outbound'::text),2:crm.invoices:-}, 'C: the subscriber tracks crm.calls (1) and crm.invoices (2)');
my $log_before_c = log_position($sub_c);
$sub_c->safe_psql('postgres', "CREATE SUBSCRIPTION crm_sub CONNECTION '" . $pub_c->connstr . ' dbname=postgres'
	  . "' PUBLICATION crm_pub WITH (copy_data = true)");
$sub_c->wait_for_subscription_sync($pub_c, 'crm_sub');

# The totals of the tracked tables: tracking|rep|kind|day|qty|rows.
my $tracked_totals_sql = q{SELECT tracking_id, rep_id, kind, day, sum(qty), sum(rows) FROM quota.daily_total
	WHERE tracking_id <> 0 GROUP BY 1, 2, 3, 4 HAVING sum(qty) <> 0 OR sum(rows) <> 0 ORDER BY 1, 2, 3, 4};
# The recount, independent of the extension: the rows of the tables that
# the filters let through and whose rep exists, on their local days.
my $tracked_recount_sql = q{SELECT t.tracking_id, x.rep_id, x.kind, x.day, sum(x.qty), count(*)
	FROM (SELECT 'crm.calls' AS source, c.owner AS rep_id, 'call' AS kind,
	             (c.started_at AT TIME ZONE r.time_zone)::date AS day, 1::numeric AS qty
	        FROM crm.calls c JOIN quota.rep r ON r.rep_id = c.owner WHERE c.direction = 'outbound'
	      UNION ALL
	      SELECT 'crm.invoices', i.owner, 'revenue', i.issued_on, i.amount
	        FROM crm.invoices i JOIN quota.rep r ON r.rep_id = i.owner) x
	JOIN quota.tracking t ON t.source = x.source::regclass
	GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4};
my $unmatched_sql = q{SELECT tracking_id, row_key, rep_id, reason FROM quota.unmatched ORDER BY 1, 2};

# The checks of a step of C on the subscriber: $expected lists the totals
# computed by hand; $unmatched, if given, the rows waiting (tracking|key|
# rep|reason; [] for none).
sub check_tracked
{
	my ($node, $step, $expected, $unmatched) = @_;
	is($node->safe_psql('postgres', 'SELECT * FROM quota.verify()'), '', "$step: quota.verify() is empty");
	my $totals = $node->safe_psql('postgres', $tracked_totals_sql);
	is($totals, $node->safe_psql('postgres', $tracked_recount_sql), "$step: totals = recount of the tracked tables");
	is($totals, join("\n", @$expected), "$step: totals = figures computed by hand");
	is($node->safe_psql('postgres', $unmatched_sql), join("\n", @$unmatched), "$step: unmatched rows")
	  if $unmatched;
	return $totals;
}

sub step_c
{
	my ($step, $sql, $expected, $unmatched) = @_;
	$pub_c->safe_psql('postgres', $sql);
	ok(caught_up($pub_c, 'crm_sub'), "$step: the subscriber caught up")
	  or diag("$step: not caught up; the last errors of the subscriber's log:\n"
		  . join("\n", grep { defined } (log_errors($sub_c))[-3 .. -1]));
	return check_tracked($sub_c, $step, $expected, $unmatched);
}

check_tracked($sub_c, 'C initial copy',
	[ '1|r1|call|2026-11-10|1|1',
	  '1|r2|call|2026-11-09|1|1',
	  '1|r3|call|2026-11-11|1|1',
	  '2|r1|revenue|2026-11-10|100.50|1',
	  '2|r2|revenue|2026-11-09|-20|1' ], []);
is($sub_c->safe_psql('postgres', q{SELECT string_agg(tracking_id || ':' || rows_counted, ',' ORDER BY tracking_id) FROM quota.sources}),
	'1:3,2:2', 'C initial copy: counted once (3 outbound calls of 4, 2 invoices)');

step_c('C single-row inserts',
	q{INSERT INTO crm.calls VALUES (5, 'r1', '2026-11-12 23:30+00', 'outbound');
	  INSERT INTO crm.calls VALUES (6, 'r3', '2026-11-12 14:59+00', 'outbound');  -- Tokyo 11-12 23:59
	  INSERT INTO crm.invoices VALUES (3, 'r3', 250, '2026-11-13');},
	[ '1|r1|call|2026-11-10|1|1',
	  '1|r1|call|2026-11-12|1|1',
	  '1|r2|call|2026-11-09|1|1',
	  '1|r3|call|2026-11-11|1|1',
	  '1|r3|call|2026-11-12|1|1',
	  '2|r1|revenue|2026-11-10|100.50|1',
	  '2|r2|revenue|2026-11-09|-20|1',
	  '2|r3|revenue|2026-11-13|250|1' ]);

step_c('C multi-row inserts in one transaction',
	q{BEGIN;
	  INSERT INTO crm.calls VALUES
	    (7, 'r2', '2026-11-15 03:00+00', 'outbound'),   -- New York 11-14 22:00
	    (8, 'r2', '2026-11-15 05:00+00', 'outbound'),   -- New York 11-15 00:00
	    (9, 'r2', '2026-11-15 04:00+00', 'inbound');    -- not counted
	  INSERT INTO crm.invoices VALUES (4, 'r2', 1000, '2026-11-15'), (5, 'r1', 0.25, '2026-11-15');
	  COMMIT;},
	[ '1|r1|call|2026-11-10|1|1',
	  '1|r1|call|2026-11-12|1|1',
	  '1|r2|call|2026-11-09|1|1',
	  '1|r2|call|2026-11-14|1|1',
	  '1|r2|call|2026-11-15|1|1',
	  '1|r3|call|2026-11-11|1|1',
	  '1|r3|call|2026-11-12|1|1',
	  '2|r1|revenue|2026-11-10|100.50|1',
	  '2|r1|revenue|2026-11-15|0.25|1',
	  '2|r2|revenue|2026-11-09|-20|1',
	  '2|r2|revenue|2026-11-15|1000|1',
	  '2|r3|revenue|2026-11-13|250|1' ]);

step_c('C update moving a call and an invoice from r1 to r3',
	# Call 1: 2026-11-10 10:00 UTC is 19:00 on 11-10 in Tokyo.  Invoice 1
	# also changes its amount (100.50 -> 150).
	q{UPDATE crm.calls SET owner = 'r3' WHERE id = 1;
	  UPDATE crm.invoices SET owner = 'r3', amount = 150 WHERE id = 1;},
	[ '1|r1|call|2026-11-12|1|1',
	  '1|r2|call|2026-11-09|1|1',
	  '1|r2|call|2026-11-14|1|1',
	  '1|r2|call|2026-11-15|1|1',
	  '1|r3|call|2026-11-10|1|1',
	  '1|r3|call|2026-11-11|1|1',
	  '1|r3|call|2026-11-12|1|1',
	  '2|r1|revenue|2026-11-15|0.25|1',
	  '2|r2|revenue|2026-11-09|-20|1',
	  '2|r2|revenue|2026-11-15|1000|1',
	  '2|r3|revenue|2026-11-10|150|1',
	  '2|r3|revenue|2026-11-13|250|1' ]);

step_c('C update making a call match the filter',
	# Call 3 (r3, Tokyo 11-11 01:00) becomes outbound: r3 has 2 on 11-11.
	q{UPDATE crm.calls SET direction = 'outbound' WHERE id = 3},
	[ '1|r1|call|2026-11-12|1|1',
	  '1|r2|call|2026-11-09|1|1',
	  '1|r2|call|2026-11-14|1|1',
	  '1|r2|call|2026-11-15|1|1',
	  '1|r3|call|2026-11-10|1|1',
	  '1|r3|call|2026-11-11|2|2',
	  '1|r3|call|2026-11-12|1|1',
	  '2|r1|revenue|2026-11-15|0.25|1',
	  '2|r2|revenue|2026-11-09|-20|1',
	  '2|r2|revenue|2026-11-15|1000|1',
	  '2|r3|revenue|2026-11-10|150|1',
	  '2|r3|revenue|2026-11-13|250|1' ]);

step_c('C update making a call stop matching the filter',
	# Call 8 (r2, New York 11-15) becomes inbound: r2 has none on 11-15.
	q{UPDATE crm.calls SET direction = 'inbound' WHERE id = 8},
	[ '1|r1|call|2026-11-12|1|1',
	  '1|r2|call|2026-11-09|1|1',
	  '1|r2|call|2026-11-14|1|1',
	  '1|r3|call|2026-11-10|1|1',
	  '1|r3|call|2026-11-11|2|2',
	  '1|r3|call|2026-11-12|1|1',
	  '2|r1|revenue|2026-11-15|0.25|1',
	  '2|r2|revenue|2026-11-09|-20|1',
	  '2|r2|revenue|2026-11-15|1000|1',
	  '2|r3|revenue|2026-11-10|150|1',
	  '2|r3|revenue|2026-11-13|250|1' ]);

step_c('C delete of a call and an invoice',
	# Call 6 (r3, Tokyo 11-12) and invoice 2 (r2, -20 on 11-09).
	q{DELETE FROM crm.calls WHERE id = 6;
	  DELETE FROM crm.invoices WHERE id = 2;},
	[ '1|r1|call|2026-11-12|1|1',
	  '1|r2|call|2026-11-09|1|1',
	  '1|r2|call|2026-11-14|1|1',
	  '1|r3|call|2026-11-10|1|1',
	  '1|r3|call|2026-11-11|2|2',
	  '2|r1|revenue|2026-11-15|0.25|1',
	  '2|r2|revenue|2026-11-15|1000|1',
	  '2|r3|revenue|2026-11-10|150|1',
	  '2|r3|revenue|2026-11-13|250|1' ]);

# Rows of reps the subscriber does not have yet: they wait, uncounted.
my @totals_c = (
	'1|r1|call|2026-11-12|1|1',
	'1|r2|call|2026-11-09|1|1',
	'1|r2|call|2026-11-14|1|1',
	'1|r3|call|2026-11-10|1|1',
	'1|r3|call|2026-11-11|2|2',
	'2|r1|revenue|2026-11-15|0.25|1',
	'2|r2|revenue|2026-11-15|1000|1',
	'2|r3|revenue|2026-11-10|150|1',
	'2|r3|revenue|2026-11-13|250|1');
step_c('C rows of unknown reps r4 and r5',
	q{INSERT INTO crm.calls VALUES (10, 'r4', '2026-11-20 12:00+00', 'outbound'),
	                               (11, 'r5', '2026-11-20 13:00+00', 'outbound');
	  INSERT INTO crm.invoices VALUES (6, 'r4', 500, '2026-11-20');},
	\@totals_c,
	[ '1|10|r4|unknown rep',
	  '1|11|r5|unknown rep',
	  '2|6|r4|unknown rep' ]);

# r4 is created on the subscriber (Auckland, UTC+13 in November): call 10
# counts on 11-21 (01:00 there), invoice 6 on its date 11-20.
$sub_c->safe_psql('postgres', q{INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('r4', 'Rep 4', 'Pacific/Auckland')});
check_tracked($sub_c, 'C rep r4 created on the subscriber',
	[ '1|r1|call|2026-11-12|1|1',
	  '1|r2|call|2026-11-09|1|1',
	  '1|r2|call|2026-11-14|1|1',
	  '1|r3|call|2026-11-10|1|1',
	  '1|r3|call|2026-11-11|2|2',
	  '1|r4|call|2026-11-21|1|1',
	  '2|r1|revenue|2026-11-15|0.25|1',
	  '2|r2|revenue|2026-11-15|1000|1',
	  '2|r3|revenue|2026-11-10|150|1',
	  '2|r3|revenue|2026-11-13|250|1',
	  '2|r4|revenue|2026-11-20|500|1' ],
	[ '1|11|r5|unknown rep' ]);

# TRUNCATE of crm.calls on the publisher: the apply process truncates the
# subscriber's table, and its BEFORE TRUNCATE trigger takes every call back
# (and forgets the call of r5 that waited); the invoices stay.
step_c('C TRUNCATE of crm.calls',
	q{TRUNCATE crm.calls},
	[ '2|r1|revenue|2026-11-15|0.25|1',
	  '2|r2|revenue|2026-11-15|1000|1',
	  '2|r3|revenue|2026-11-10|150|1',
	  '2|r3|revenue|2026-11-13|250|1',
	  '2|r4|revenue|2026-11-20|500|1' ],
	[]);
is($sub_c->safe_psql('postgres', 'SELECT count(*) FROM crm.calls'), '0', 'C TRUNCATE: the subscriber\'s crm.calls is empty');
step_c('C insert after the TRUNCATE',
	# New York 11-20 23:30.
	q{INSERT INTO crm.calls VALUES (20, 'r2', '2026-11-21 04:30+00', 'outbound')},
	[ '1|r2|call|2026-11-20|1|1',
	  '2|r1|revenue|2026-11-15|0.25|1',
	  '2|r2|revenue|2026-11-15|1000|1',
	  '2|r3|revenue|2026-11-10|150|1',
	  '2|r3|revenue|2026-11-13|250|1',
	  '2|r4|revenue|2026-11-20|500|1' ],
	[]);
is($sub_c->safe_psql('postgres', q{SELECT string_agg(tracking_id || ':' || rows_counted || ':' || rows_unmatched, ',' ORDER BY tracking_id) FROM quota.sources}),
	'1:1:0,2:5:0', 'C: quota.sources counts 1 call and 5 invoices, none unmatched');
{
	my @errors = log_errors($sub_c, $log_before_c);
	is(scalar(@errors), 0, 'C: no ERROR in the subscriber\'s log (initial copy, apply)')
	  or diag("C: subscriber log errors (" . scalar(@errors) . "), the first 3:\n" . join("\n", @errors[ 0 .. ($#errors < 2 ? $#errors : 2) ]));
}

$sub_a->stop;
$pub_a->stop;
$sub_b->stop;
$pub_b->stop;
$sub_c->stop;
$pub_c->stop;
done_testing();
