# quota_ext on a physical streaming standby, then after its promotion.
#
# A primary and a standby made from it by pg_basebackup while it runs,
# streaming from it as -R would set it up (hot standby, with
# hot_standby_feedback), timezone UTC.  The scenario, in dates of 2026 (all in the
# past): teams nested three deep, eight reps in time zones with whole,
# half-hour and 45-minute offsets (Pacific/Chatham, Asia/Kathmandu,
# America/St_Johns, Asia/Kolkata...), monthly, weekly and quarterly
# assignments of reps and teams, some starting mid-month, activity of July
# to September, a CRM table app.calls tracked as calls (outbound only),
# and the periods closed through 31 August.  Rep rf (Pacific/Chatham,
# +12:45 in winter, +13:45 from 27 September) is followed by hand: its
# rows sit one minute either side of its local midnights.
#
# While psql clients insert, correct and delete activity and tracked calls
# on the primary (unique external ids and keys, each client keeping in
# Perl what it committed), a reader on the standby reads the progress,
# team progress and scoreboard views and quota.verify() (in READ COMMITTED
# and REPEATABLE READ) over and over: no read fails, verify() is empty and
# the totals equal a recount in one statement at every read.  After the
# writers stop and the standby has replayed everything:
#
#  - progress, team progress and the scoreboard (the views, and the _as_of
#    functions at a fixed moment and at the primary's now, fully ordered),
#    the daily totals, unmatched rows, late changes and sources read the
#    same on the standby as on the primary; quota.verify() is empty on both;
#  - on the standby, the writers' rows are exactly those they committed,
#    the totals per rep and kind (and per tracking and day) equal a recount
#    done here in SQL, and rf's daily calls, sum and progress are the
#    figures computed by hand below;
#  - the standby refuses writes (it is really a hot standby).
#
# Then the primary is stopped (no split brain) and the standby promoted;
# the clients write again on it for a while, rf's rows are corrected (a
# row moved to another rep, one deleted, new activity, a tracked call
# made to match the filter, a tracked call of a closed day changed: a late
# change; a closed activity row cannot change), and the same checks hold
# on the new primary with rf's new hand-computed figures.
#
# Knobs: STANDBY_CLIENTS (4), STANDBY_SECONDS (5: writes before the
# promotion; half as long after it), STANDBY_SEED (random; printed);
# CRASH_CLIENTS, CRASH_SECONDS and CRASH_SEED are used when those are not
# set (test/tap/run passes them through).
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time sleep);
use FindBin;
use lib $FindBin::RealBin;
use CrashClients;

my $n_clients = $ENV{STANDBY_CLIENTS} // $ENV{CRASH_CLIENTS} // 4;
my $seconds = $ENV{STANDBY_SECONDS} // $ENV{CRASH_SECONDS} // 5;
my $seed = $ENV{STANDBY_SEED} // $ENV{CRASH_SEED} // (time() * 1000) % 1000000007;
srand($seed);
local $SIG{ALRM} = sub { BAIL_OUT('standby test timed out'); };
alarm($ENV{CRASH_TIMEOUT} // 600);
diag("standby: $n_clients clients, $seconds s of writes before the promotion, STANDBY_SEED=$seed");

# [rep, time zone, team]; rf is written only by hand.
my @reps = (
	[ 'r1', 'UTC', 'emea' ],
	[ 'r2', 'Europe/Helsinki', 'nordics' ],
	[ 'r3', 'America/Los_Angeles', 'americas' ],
	[ 'r4', 'Asia/Kolkata', 'india' ],
	[ 'r5', 'Pacific/Chatham', 'apac' ],
	[ 'r6', 'Asia/Kathmandu', 'india' ],
	[ 'r7', 'America/St_Johns', 'americas' ]);
my @kinds = qw(call email meeting demo opportunity);
# The fixed moment of the _as_of reads.
my $as_of = '2026-11-20 12:00+00';

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf('postgresql.conf', <<'CONF');
max_connections = 40
log_statement = none
log_min_messages = warning
timezone = 'UTC'
CONF
$primary->start;

$primary->safe_psql('postgres', 'CREATE DATABASE sb');
$primary->safe_psql('sb', join("\n",
	'SET client_min_messages = warning;',
	'CREATE EXTENSION quota_ext CASCADE;',
	q{UPDATE quota.activity_kind SET weight = 2 WHERE kind = 'call';},
	# world (UTC) > emea (Helsinki) > nordics (Stockholm);
	# world > apac (Chatham) > india (Kolkata); world > americas (St John's).
	q{INSERT INTO quota.team (team_id, name, parent_id, time_zone) VALUES
		('world', 'World', NULL, 'UTC'),
		('emea', 'EMEA', 'world', 'Europe/Helsinki'),
		('nordics', 'Nordics', 'emea', 'Europe/Stockholm'),
		('apac', 'APAC', 'world', 'Pacific/Chatham'),
		('india', 'India', 'apac', 'Asia/Kolkata'),
		('americas', 'Americas', 'world', 'America/St_Johns');},
	'INSERT INTO quota.rep (rep_id, name, team_id, time_zone) VALUES '
	  . join(', ', map { "('$_->[0]', 'Rep $_->[0]', '$_->[2]', '$_->[1]')" } @reps, [ 'rf', 'Pacific/Chatham', 'apac' ]) . ';',
	q{INSERT INTO quota.assignment (rep_id, team_id, kind, target, valid) VALUES
		('r1', NULL, 'call', '100/month', '[2026-07-01,)'),
		('r2', NULL, 'call', '100/month', '[2026-07-01,)'),
		('r3', NULL, 'call', '100/month', '[2026-07-01,)'),
		('r4', NULL, 'call', '100/month', '[2026-07-01,)'),
		('r5', NULL, 'call', '100/month', '[2026-07-01,)'),
		('r6', NULL, 'call', '100/month', '[2026-07-01,)'),
		('r7', NULL, 'call', '100/month', '[2026-07-01,)'),
		('rf', NULL, 'call', '20/month', '[2026-07-01,)'),
		('r1', NULL, 'email', '50/week', '[2026-07-01,)'),
		('r2', NULL, 'email', '50/week', '[2026-07-01,)'),
		('r3', NULL, 'email', '50/week', '[2026-07-01,)'),
		('r4', NULL, 'email', '50/week', '[2026-07-01,)'),
		('rf', NULL, 'email', '5/week', '[2026-10-15,)'),
		('r5', NULL, 'meeting', '10/quarter', '[2026-07-01,)'),
		('r6', NULL, 'meeting', '10/quarter', '[2026-07-01,)'),
		('r7', NULL, 'meeting', '10/quarter', '[2026-07-01,)'),
		('r3', NULL, 'demo', '8/month', '[2026-10-16,)'),
		('r6', NULL, 'demo', '8/month', '[2026-10-16,)'),
		(NULL, 'apac', 'call', '300/month', '[2026-09-01,)'),
		(NULL, 'emea', 'email', '400/month', '[2026-10-01,)');},
	# The CRM's calls: rows there before the tracking, some of a rep the
	# extension does not know (they wait in quota.unmatched).
	'CREATE SCHEMA app;',
	'CREATE TABLE app.calls (id bigint PRIMARY KEY, owner text, started_at timestamptz, direction text);',
	q{INSERT INTO app.calls
	  SELECT i, CASE WHEN i % 13 = 0 THEN 'ghost' ELSE 'r' || (1 + i % 7) END,
	         timestamptz '2026-07-05 00:00+00' + (i - 100) * interval '30 hours',
	         CASE WHEN i % 4 = 0 THEN 'inbound' ELSE 'outbound' END
	    FROM generate_series(101, 160) AS i;},
	q{SELECT quota.track('app.calls', 'call', 'owner', 'started_at', filter => $$direction = 'outbound'$$);},
	q{INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
	  SELECT 'r' || (1 + i % 7), (ARRAY['call', 'email', 'meeting', 'demo', 'opportunity'])[1 + i % 5],
	         timestamptz '2026-07-01 00:00+00' + i * interval '5 hours', 1 + i % 5, 'seed-' || i, 'seed'
	    FROM generate_series(1, 400) AS i;},
	# rf: 4 calls on 10 August (12:45 in Chatham), a tracked call on
	# 20 August 12:00 UTC (00:45 on the 21st in Chatham); both closed.
	q{INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
	  VALUES ('rf', 'call', '2026-08-10 00:00+00', 4, 'rf-1', 'hand');},
	q{INSERT INTO app.calls VALUES (4, 'rf', '2026-08-20 12:00+00', 'outbound');},
	q{SELECT quota.close_period('2026-08-31');}));

# The standby, from a base backup taken while the primary runs.
$primary->backup('b');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'b', has_streaming => 1);
# A reporting replica: queries are not cancelled for the primary's cleanup.
$standby->append_conf('postgresql.conf', "hot_standby_feedback = on\n");
$standby->start;

# rf's rows that reach the standby by streaming (Chatham is +13:45 from
# 27 September 2026):
#   rf-2  10 Nov 10:14 UTC = 23:59 on 10 Nov   3 calls
#   rf-3  10 Nov 10:15 UTC = 00:00 on 11 Nov   5 calls
#   rf-4  31 Oct 10:15 UTC = 00:00 on  1 Nov   7 calls (October in UTC)
#   rf-5  30 Nov 10:14 UTC = 23:59 on 30 Nov   2 calls
#   rf-6  30 Nov 10:15 UTC = 00:00 on  1 Dec   6 calls
#   tracked 1  10 Nov 10:15 UTC outbound = 11 Nov   1 call
#   tracked 2  10 Nov 10:15 UTC inbound: not counted
#   tracked 3  30 Sep 11:15 UTC outbound = 01:00 on 1 Oct   1 call
$primary->safe_psql('sb', q{
	INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) VALUES
	    ('rf', 'call', '2026-11-10 10:14+00', 3, 'rf-2', 'hand'),
	    ('rf', 'call', '2026-11-10 10:15+00', 5, 'rf-3', 'hand'),
	    ('rf', 'call', '2026-10-31 10:15+00', 7, 'rf-4', 'hand'),
	    ('rf', 'call', '2026-11-30 10:14+00', 2, 'rf-5', 'hand'),
	    ('rf', 'call', '2026-11-30 10:15+00', 6, 'rf-6', 'hand');
	INSERT INTO app.calls VALUES
	    (1, 'rf', '2026-11-10 10:15+00', 'outbound'),
	    (2, 'rf', '2026-11-10 10:15+00', 'inbound'),
	    (3, 'rf', '2026-09-30 11:15+00', 'outbound');
	-- A call of r1 on a closed day (11 July) made inbound: a late change.
	UPDATE app.calls SET direction = 'inbound' WHERE id = 105;});

# ---------------------------------------------------------------------------
# The writers: one psql each (CrashClients), writing rows of r1..r7 and
# 'ghost' (tracked calls only) dated 2 September to 30 November.  Each
# client keeps what it committed: activity external id -> [rep, kind,
# epoch, qty], call id -> [owner, epoch, direction].

my @clients = map { { id => $_, acts => {}, calls => {}, next_id => 0 } } 1 .. $n_clients;
my $first_epoch = 1788307200;    # 2026-09-02 00:00 UTC
my $last_epoch = 1796040000;     # 2026-11-30 12:00 UTC

sub sql_text { my $s = shift; $s =~ s/'/''/g; return "'$s'"; }

sub random_epoch { return $first_epoch + int(rand($last_epoch - $first_epoch)); }

sub random_act
{
	my $qty = 1 + int(rand(10));
	$qty += 0.5 if rand() < 0.2;
	return [ $reps[ int(rand(@reps)) ][0], $kinds[ int(rand(@kinds)) ], random_epoch(), $qty ];
}

sub random_call
{
	return [ rand() < 0.05 ? 'ghost' : $reps[ int(rand(@reps)) ][0], random_epoch(), rand() < 0.75 ? 'outbound' : 'inbound' ];
}

sub pick_untouched
{
	my ($rows, $touched) = @_;
	my @free = grep { !exists $touched->{$_} } sort keys %$rows;
	return @free ? $free[ int(rand(@free)) ] : undef;
}

sub next_transaction
{
	my ($cl, $slow) = @_;
	my (%acts, %calls, @statements);
	for (1 .. 1 + int(rand(2)))
	{
		my $r = rand();
		if ($r < 0.4 || keys %{ $cl->{acts} } < 5)
		{
			my @values;
			for (1 .. 1 + int(rand(4)))
			{
				my $id = "w$cl->{id}-" . ++$cl->{next_id};
				$acts{$id} = random_act();
				push @values, sprintf("('%s', '%s', to_timestamp(%d), %s, %s, 'writer')", @{ $acts{$id} }, sql_text($id));
			}
			push @statements, 'INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) VALUES '
			  . join(', ', @values);
		}
		elsif ($r < 0.65 || keys %{ $cl->{calls} } < 5)
		{
			my @values;
			for (1 .. 1 + int(rand(3)))
			{
				my $id = $cl->{id} * 1000000 + ++$cl->{next_id};
				$calls{$id} = random_call();
				push @values, sprintf("(%d, '%s', to_timestamp(%d), '%s')", $id, @{ $calls{$id} });
			}
			push @statements, 'INSERT INTO app.calls VALUES ' . join(', ', @values);
		}
		elsif ($r < 0.77)
		{
			# A correction: another rep, kind, moment and quantity.
			my $id = pick_untouched($cl->{acts}, \%acts) // next;
			$acts{$id} = random_act();
			push @statements, sprintf(
				"UPDATE quota.activity SET rep_id = '%s', kind = '%s', occurred_at = to_timestamp(%d), qty = %s WHERE external_id = %s",
				@{ $acts{$id} }, sql_text($id));
		}
		elsif ($r < 0.85)
		{
			my $id = pick_untouched($cl->{acts}, \%acts) // next;
			$acts{$id} = undef;
			push @statements, 'DELETE FROM quota.activity WHERE external_id = ' . sql_text($id);
		}
		elsif ($r < 0.95)
		{
			# Another owner, moment and direction: in or out of the filter.
			my $id = pick_untouched($cl->{calls}, \%calls) // next;
			$calls{$id} = random_call();
			push @statements, sprintf("UPDATE app.calls SET owner = '%s', started_at = to_timestamp(%d), direction = '%s' WHERE id = %d",
				@{ $calls{$id} }, $id);
		}
		else
		{
			my $id = pick_untouched($cl->{calls}, \%calls) // next;
			$calls{$id} = undef;
			push @statements, "DELETE FROM app.calls WHERE id = $id";
		}
	}
	my $seq = ++$cl->{seq};
	my $sql = join(' \; ', 'BEGIN', @statements, 'COMMIT') . ";\n"
	  . "\\echo 'TX $cl->{id} $seq' :ERROR\n\\if :ERROR\nROLLBACK;\n\\endif\n";
	return { seq => $seq, sql => $sql, acts => \%acts, calls => \%calls, statements => scalar(@statements) };
}

sub apply_changes
{
	my ($cl, $tx) = @_;
	for my $table ('acts', 'calls')
	{
		while (my ($id, $row) = each %{ $tx->{$table} })
		{
			if (defined $row) { $cl->{$table}{$id} = $row; }
			else { delete $cl->{$table}{$id}; }
		}
	}
}

my $writes_to = $primary;
clients_configured(
	connstr => sub { $writes_to->connstr('sb') },
	next_transaction => \&next_transaction,
	apply_changes => \&apply_changes);

# Lets the clients write for $secs seconds (longer, up to a minute, until
# $enough says so, if given), calling $between (if given) after each turn;
# then ends them once their last transaction is answered.
sub clients_write
{
	my ($secs, $between, $enough) = @_;
	client_start($_) for @clients;
	my $start = time();
	while (time() - $start < $secs || ($enough && !$enough->() && time() - $start < 60))
	{
		for my $cl (@clients)
		{
			client_pump($cl) or BAIL_OUT("client $cl->{id} ended: $cl->{err}");
			client_send($cl) unless $cl->{inflight};
		}
		$between->() if $between;
		sleep(0.001);
	}
	for my $cl (@clients)
	{
		my $until = time() + 60;
		while ($cl->{inflight} && client_pump($cl) && time() < $until) { sleep(0.005); }
		$cl->{in} .= "\\q\n";
		while (client_pump($cl) && time() < $until) { sleep(0.005); }
		eval { $cl->{h}->finish; };
		client_pump($cl);
		BAIL_OUT("client $cl->{id}: transaction $cl->{inflight}{seq} unanswered") if $cl->{inflight};
	}
}

# ---------------------------------------------------------------------------
# The reader on the standby: one psql fed a round of reads at a time.

my $recount_sql = q{
	WITH totals AS (SELECT tracking_id, rep_id, kind, day, sum(qty) AS qty
	                  FROM quota.daily_total GROUP BY 1, 2, 3, 4 HAVING sum(qty) <> 0),
	     recount AS (SELECT tracking_id, rep_id, kind, day, sum(qty) AS qty
	                   FROM (SELECT 0 AS tracking_id, a.rep_id, a.kind, (a.occurred_at AT TIME ZONE r.time_zone)::date AS day, a.qty
	                           FROM quota.activity a JOIN quota.rep r USING (rep_id)
	                         UNION ALL
	                         SELECT t.tracking_id, c.owner, 'call', (c.started_at AT TIME ZONE r.time_zone)::date, 1
	                           FROM app.calls c JOIN quota.rep r ON r.rep_id = c.owner
	                          CROSS JOIN (SELECT tracking_id FROM quota.tracking WHERE source = 'app.calls'::regclass) t
	                          WHERE c.direction = 'outbound'
	                         UNION ALL
	                         SELECT tracking_id, rep_id, kind, day, -qty_change FROM quota.late_change) x
	                  GROUP BY 1, 2, 3, 4 HAVING sum(qty) <> 0)
	SELECT count(*) FROM totals t FULL JOIN recount r USING (tracking_id, rep_id, kind, day)
	 WHERE t.qty IS DISTINCT FROM r.qty};
(my $recount_one_line = $recount_sql) =~ s/\s+/ /g;

sub reader_round
{
	my ($n) = @_;
	return join("\n",
		"SELECT 'R $n progress ' || count(*) || ' ' || coalesce(sum(actual), 0) FROM quota.progress;",
		"SELECT 'R $n team ' || count(*) || ' ' || coalesce(sum(actual), 0) FROM quota.team_progress;",
		"SELECT 'R $n score ' || count(*) FROM quota.scoreboard;",
		"SELECT 'R $n as_of ' || count(*) || ' ' || coalesce(sum(actual), 0) FROM quota.progress_as_of('$as_of');",
		"SELECT 'R $n verify_rc ' || count(*) || ' ' || count(*) FILTER (WHERE kind <> 'call') FROM quota.verify();",
		"SELECT 'R $n recount_rc ' || ($recount_one_line);",
		'BEGIN ISOLATION LEVEL REPEATABLE READ;',
		"SELECT 'R $n verify_rr ' || count(*) FROM quota.verify();",
		"SELECT 'R $n team_rr ' || count(*) FROM quota.team_progress_as_of('$as_of');",
		"SELECT 'R $n writer_rows ' || count(*) FROM quota.activity WHERE source = 'writer';",
		'COMMIT;',
		"\\echo 'ROUND $n DONE'", '');
}

my %reader = (in => "SET client_min_messages = error;\n", out => '', err => '', round => 0, done => 0);
my %reads = (rounds => 0, errors => 0, verify_rc_rows => 0, verify_rc_nonempty => 0, verify_rc_untracked => 0, verify_rr_nonempty => 0,
	recount_rc_off => 0, writer_rows_seen => {}, max_round => 0, max_lag_bytes => 0, max_lag_seconds => 0, first_error => '', rc_example => '');

sub reader_start
{
	$reader{h} = IPC::Run::start([ 'psql', '-XAtq', '-d', $standby->connstr('sb'), '-f', '-' ],
		'<', \$reader{in}, '>', \$reader{out}, '2>', \$reader{err});
	$reader{in} .= reader_round(++$reader{round});
	$reader{started_at} = time();
}

# Reads what the reader printed; sends the next round when one is done.
sub reader_pump
{
	eval { $reader{h}->pump_nb; 1 } or BAIL_OUT("standby reader ended: $reader{err}");
	while ($reader{out} =~ s/^([^\n]*)\n//)
	{
		my $line = $1;
		if ($line =~ /^R (\d+) (\w+) (\S+)(?: (\S+))?$/)
		{
			my ($n, $what, $v, $v2) = ($1, $2, $3, $4);
			if ($what eq 'verify_rc' && $v > 0)
			{
				$reads{verify_rc_nonempty}++;
				$reads{verify_rc_rows} += $v;
				$reads{verify_rc_untracked} += $v2;
			}
			$reads{verify_rr_nonempty}++ if $what eq 'verify_rr' && $v > 0;
			$reads{recount_rc_off}++ if $what eq 'recount_rc' && $v > 0;
			$reads{writer_rows_seen}{$v} = 1 if $what eq 'writer_rows';
		}
		elsif ($line =~ /^ROUND (\d+) DONE$/)
		{
			$reads{rounds}++;
			my $took = time() - $reader{started_at};
			$reads{max_round} = $took if $took > $reads{max_round};
			my ($bytes, $secs) = split / /, $primary->safe_psql('postgres',
				q{SELECT coalesce(max(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)), 0) || ' '
				  || coalesce(extract(epoch FROM max(replay_lag)), 0) FROM pg_stat_replication});
			$reads{max_lag_bytes} = $bytes if $bytes > $reads{max_lag_bytes};
			$reads{max_lag_seconds} = $secs if $secs > $reads{max_lag_seconds};
			$reader{in} .= reader_round(++$reader{round});
			$reader{started_at} = time();
		}
		elsif ($line ne '')
		{
			note("reader: $line");
		}
	}
	if ($reader{err} ne '')
	{
		my @errors = grep { /ERROR/ } split /\n/, $reader{err};
		$reads{errors} += @errors;
		$reads{first_error} ||= $errors[0] // '';
		note("reader: $reader{err}");
		$reader{err} = '';
	}
}

sub reader_stop
{
	my $until = time() + 60;
	$reader{in} .= "\\q\n";
	while (eval { $reader{h}->pump_nb; 1 } && $reader{h}->pumpable && time() < $until) { sleep(0.01); }
	eval { $reader{h}->finish; };
	$reader{in} = '';
	reader_pump();
}

# ---------------------------------------------------------------------------
# The checks of one node; $phase names them.

# The writers' rows, as their clients committed them.
sub check_writer_rows
{
	my ($phase, $node) = @_;
	my (%acts, %calls);
	for my $cl (@clients)
	{
		while (my ($id, $r) = each %{ $cl->{acts} }) { $acts{$id} = join('|', @$r); }
		while (my ($id, $r) = each %{ $cl->{calls} }) { $calls{$id} = join('|', @$r); }
	}
	for my $t ([ 'quota.activity',
			"SELECT external_id, rep_id, kind, extract(epoch FROM occurred_at)::bigint, qty FROM quota.activity WHERE source = 'writer'",
			\%acts ],
		[ 'app.calls', 'SELECT id, owner, extract(epoch FROM started_at)::bigint, direction FROM app.calls WHERE id >= 1000000', \%calls ])
	{
		my ($table, $sql, $expected) = @$t;
		my %have = map { my ($id, @rest) = split /\|/, $_, -1; ($id => join('|', @rest)) } split /\n/, $node->safe_psql('sb', $sql);
		my @off = grep { ($have{$_} // '') ne ($expected->{$_} // '') } (keys %$expected, keys %have);
		is(scalar(@off), 0, "$phase: $table holds exactly the rows the writers committed (" . scalar(keys %$expected) . ')')
		  or diag("$table, first differences: "
			  . join('; ', map { "$_: " . ($have{$_} // 'missing') . ' (expected ' . ($expected->{$_} // 'none') . ')' } (sort @off)[ 0 .. ($#off < 4 ? $#off : 4) ]));
	}
	return (scalar(keys %acts), scalar(keys %calls));
}

# verify(), the totals against the recount, and rf's figures.
sub check_totals
{
	my ($phase, $node, %rf) = @_;
	is($node->safe_psql('sb', 'SELECT count(*) FROM quota.verify()'), '0', "$phase: quota.verify() is empty")
	  or diag($node->safe_psql('sb', 'SELECT * FROM quota.verify() LIMIT 10'));
	is($node->safe_psql('sb', $recount_sql), '0',
		"$phase: totals per tracking, rep, kind and day = a recount of quota.activity, app.calls and the late changes");
	is($node->safe_psql('sb', q{
		SELECT count(*) FROM (SELECT rep_id, kind, sum(qty) AS qty FROM quota.daily_total GROUP BY 1, 2) t
		  FULL JOIN (SELECT rep_id, kind, sum(qty) AS qty
		               FROM (SELECT rep_id, kind, qty FROM quota.activity
		                     UNION ALL SELECT owner, 'call', 1 FROM app.calls JOIN quota.rep ON rep_id = owner WHERE direction = 'outbound'
		                     UNION ALL SELECT rep_id, kind, -qty_change FROM quota.late_change) x
		              GROUP BY 1, 2) a USING (rep_id, kind)
		 WHERE t.qty IS DISTINCT FROM a.qty}),
		'0', "$phase: totals per rep and kind = recount");
	is($node->safe_psql('sb', q{SELECT day || ' ' || sum(qty) FROM quota.daily_total WHERE rep_id = 'rf' AND kind = 'call'
		GROUP BY day HAVING sum(qty) <> 0 ORDER BY day}),
		$rf{days}, "$phase: rf's calls per local day are the hand-computed ones");
	is($node->safe_psql('sb', q{SELECT sum(qty) FROM quota.daily_total WHERE rep_id = 'rf' AND kind = 'call'}),
		$rf{sum}, "$phase: rf's calls sum to $rf{sum} in the totals");
	is($node->safe_psql('sb', q{SELECT (SELECT sum(qty) FROM quota.activity WHERE rep_id = 'rf' AND kind = 'call')
		+ (SELECT count(*) FROM app.calls WHERE owner = 'rf' AND direction = 'outbound')
		- (SELECT coalesce(sum(qty_change), 0) FROM quota.late_change WHERE rep_id = 'rf')}),
		$rf{sum}, "$phase: and to $rf{sum} in a recount of rf's rows");
	is($node->safe_psql('sb', q{SELECT period_start || ' ' || target || ' ' || actual || ' ' || attainment || ' ' || status
		FROM quota.progress WHERE rep_id = 'rf' AND kind = 'call' AND period_start BETWEEN '2026-10-01' AND '2026-12-01' ORDER BY period_start}),
		$rf{progress}, "$phase: rf's calls in quota.progress, October to December");
	is($node->safe_psql('sb', qq{SELECT target || ' ' || actual || ' ' || attainment || ' ' || elapsed || ' ' || expected_to_date
		|| ' ' || projected || ' ' || pace || ' ' || status
		FROM quota.progress_as_of('$as_of') WHERE rep_id = 'rf' AND kind = 'call' AND period_start = '2026-11-01'}),
		$rf{as_of}, "$phase: rf's November calls at $as_of");
}

# What must read the same on two nodes, fully ordered; $at is a moment
# fixed for both (the plain views use now(): their columns that do not
# depend on the moment are compared).
sub same_reads
{
	my ($at) = @_;
	my $progress_cols = 'rep_id, team_id, kind, period_unit, period_start, period_end, target, actual, attainment, shortfall, surplus, met, attainment_rank, shortfall_rank';
	my $team_cols = 'team_id, parent_id, kind, period_unit, period_start, period_end, target, actual, attainment, shortfall, surplus, met, attainment_rank, shortfall_rank, members, sibling_rank';
	return (
		[ 'quota.progress', "SELECT $progress_cols FROM quota.progress ORDER BY rep_id, kind, period_unit, period_start" ],
		[ "quota.progress_as_of('$as_of')", "SELECT * FROM quota.progress_as_of('$as_of') ORDER BY rep_id, kind, period_unit, period_start" ],
		[ 'quota.progress_as_of(primary now)', "SELECT * FROM quota.progress_as_of('$at') ORDER BY rep_id, kind, period_unit, period_start" ],
		[ 'quota.team_progress', "SELECT $team_cols FROM quota.team_progress ORDER BY team_id, kind, period_unit, period_start" ],
		[ "quota.team_progress_as_of('$as_of')", "SELECT * FROM quota.team_progress_as_of('$as_of') ORDER BY team_id, kind, period_unit, period_start" ],
		[ 'quota.team_progress_as_of(primary now)', "SELECT * FROM quota.team_progress_as_of('$at') ORDER BY team_id, kind, period_unit, period_start" ],
		[ 'quota.scoreboard', 'SELECT * FROM quota.scoreboard ORDER BY period_start, rep_id' ],
		[ "quota.scoreboard_as_of('$as_of')", "SELECT * FROM quota.scoreboard_as_of('$as_of') ORDER BY period_start, rep_id" ],
		[ 'quota.scoreboard_as_of(primary now, quarter)', "SELECT * FROM quota.scoreboard_as_of('$at', 'quarter') ORDER BY period_start, rep_id" ],
		[ 'quota.verify()', 'SELECT * FROM quota.verify()' ],
		[ 'the daily totals', q{SELECT tracking_id, rep_id, kind, day, sum(qty), sum(rows) FROM quota.daily_total
			GROUP BY 1, 2, 3, 4 HAVING sum(qty) <> 0 OR sum(rows) <> 0 ORDER BY 1, 2, 3, 4} ],
		[ 'quota.unmatched', 'SELECT tracking_id, source, row_key, rep_id, occurred_at, qty, reason FROM quota.unmatched ORDER BY 1, 3' ],
		[ 'quota.late_change', 'SELECT tracking_id, row_key, rep_id, kind, day, qty_change, rows_change FROM quota.late_change ORDER BY 1, 2, 3, 4, 5, 6' ],
		[ 'quota.sources', 'SELECT tracking_id, source, kind, filter, rows_counted, rows_unmatched, late_changes FROM quota.sources ORDER BY 1' ]);
}

# ---------------------------------------------------------------------------
# 1. Writers on the primary, the reader on the standby.

my $seen_before = $standby->safe_psql('sb', "SELECT count(*) FROM quota.activity WHERE source = 'seed'");
is($seen_before, '400', 'the standby has the seed activity of the base backup (400 rows)');

reader_start();
my $t0 = time();
# (On a loaded machine the writes go on until the reader has done 3 rounds.)
clients_write($seconds, \&reader_pump, sub { $reads{rounds} >= 3 });
my $wrote_for = time() - $t0;
# The reader finishes its round, then a last one after the writers.
reader_stop();
my ($sent, $committed, $failed, $statements) = (0, 0, 0, 0);
for my $cl (@clients)
{
	$sent += $cl->{sent} // 0;
	$committed += $cl->{committed} // 0;
	$failed += $cl->{n_failed} // 0;
	$statements += $cl->{statements} // 0;
}
diag(sprintf('writers on the primary: %d transactions in %.1f s (%d statements), %d committed, %d failed',
	$sent, $wrote_for, $statements, $committed, $failed));
diag(sprintf('reader on the standby: %d rounds of reads (slowest %.2f s), %d distinct counts of the writers\' rows seen, '
	  . 'replay at most %d bytes and %.3f s (replay_lag) behind the primary at the end of a round',
	$reads{rounds}, $reads{max_round}, scalar(keys %{ $reads{writer_rows_seen} }), $reads{max_lag_bytes}, $reads{max_lag_seconds}));
is($failed, 0, 'no writer transaction failed');
cmp_ok($reads{rounds}, '>=', 2, "the standby was read during the writes ($reads{rounds} rounds)");
is($reads{errors}, 0, 'no read of progress, team progress, the scoreboard or verify() failed on the hot standby')
  or diag("first error: $reads{first_error}");
is($reads{verify_rr_nonempty}, 0, 'quota.verify() in REPEATABLE READ was empty at every read during replay');
is($reads{recount_rc_off}, 0, 'the totals equalled a recount (one statement) at every read during replay');
# (Only kind call has a tracked source: the other kinds are counted from
# quota.activity alone, read with the statement's snapshot.)
is($reads{verify_rc_untracked}, 0, 'quota.verify() in READ COMMITTED never reported a kind without a tracked source during replay');
# (0.4 read the tracked tables with a snapshot newer than the totals' at
# READ COMMITTED: verify() then reported the rows committed in between.)
is($reads{verify_rc_nonempty}, 0, 'quota.verify() in READ COMMITTED was empty at every read during replay')
  or diag("$reads{verify_rc_nonempty} reads of verify() were not empty ($reads{verify_rc_rows} rows in all)");

# 2. The standby once it has replayed everything.
my $lsn = $primary->lsn('insert');
my $lag = $primary->safe_psql('postgres', "SELECT coalesce(max(pg_wal_lsn_diff('$lsn', replay_lsn)), 0) FROM pg_stat_replication");
my $t1 = time();
$primary->wait_for_catchup($standby, 'replay', $lsn);
diag(sprintf('after the writers: the standby was %d bytes behind, replayed them in %.2f s', $lag, time() - $t1));

is($standby->safe_psql('sb', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');
my ($ret, $out, $err) = $standby->psql('sb', q{INSERT INTO quota.activity (rep_id, kind, occurred_at, qty) VALUES ('r1', 'call', now(), 1)});
like($err, qr/read-only transaction/, 'the standby refuses writes of activity');

my $at = $primary->safe_psql('sb', 'SELECT now()');
for my $q (same_reads($at))
{
	my ($what, $sql) = @$q;
	my $p = $primary->safe_psql('sb', $sql);
	my $s = $standby->safe_psql('sb', $sql);
	my $rows = $p eq '' ? 0 : scalar(split /\n/, $p);
	is($s, $p, "$what: the standby reads what the primary reads ($rows rows)");
	if ($what eq 'quota.verify()') { is($rows, 0, 'quota.verify() is empty on both'); }
	else { cmp_ok($rows, '>', 0, "$what is not empty"); }
}
my ($acts, $calls) = check_writer_rows('standby', $standby);
diag("standby after catch-up: $acts rows of the writers in quota.activity, $calls in app.calls; "
	  . $standby->safe_psql('sb', q{SELECT (SELECT count(*) FROM quota.activity) || ' activity rows, '
		|| (SELECT count(*) FROM app.calls) || ' calls, ' || (SELECT count(*) FROM quota.unmatched) || ' unmatched, '
		|| (SELECT count(*) FROM quota.daily_total) || ' total rows, ' || (SELECT count(*) FROM quota.progress) || ' rows of progress'}));

# rf by hand (Chatham days):
#   2026-08-10  4   rf-1 (closed)
#   2026-08-21  1   tracked 4 (closed)
#   2026-10-01  1   tracked 3
#   2026-11-01  7   rf-4
#   2026-11-10  3   rf-2
#   2026-11-11  6   rf-3 5 + tracked 1
#   2026-11-30  2   rf-5
#   2026-12-01  6   rf-6
# sum 30.  Progress (20 calls a month): October 1 of 20 (0.0500, missed);
# November 7 + 3 + 6 + 2 = 18 (0.9000, missed); December 6 (0.3000,
# behind or on track depending on the day: only the figures are checked
# for December).
# At 2026-11-20 12:00 UTC (01:45 on the 21st in Chatham): 7 + 3 + 6 = 16
# of 20 (0.8000); elapsed (20 days + 1.75 h) / 30 days = 481.75 / 720 =
# 0.66910, expected 13.38, projected 16 / 0.66910 = 23.91, pace 16 /
# 13.38194 = 1.1956, on track.
my %rf_before = (
	days => join("\n", '2026-08-10 4', '2026-08-21 1', '2026-10-01 1', '2026-11-01 7', '2026-11-10 3',
		'2026-11-11 6', '2026-11-30 2', '2026-12-01 6'),
	sum => 30,
	as_of => '20.00 16 0.8000 0.6691 13.38 23.91 1.1956 on_track');
my $december_status = $standby->safe_psql('sb',
	q{SELECT status FROM quota.progress WHERE rep_id = 'rf' AND kind = 'call' AND period_start = '2026-12-01'});
$rf_before{progress} = join("\n", '2026-10-01 20.00 1 0.0500 missed', '2026-11-01 20.00 18 0.9000 missed',
	"2026-12-01 20.00 6 0.3000 $december_status");
check_totals('standby', $standby, %rf_before);

# 3. The primary stopped, the standby promoted; writers on it.
$primary->stop;
my $t2 = time();
$standby->promote;
$standby->poll_query_until('sb', 'SELECT NOT pg_is_in_recovery()') or BAIL_OUT('the standby did not leave recovery');
diag(sprintf('promotion took %.2f s', time() - $t2));
$writes_to = $standby;

# rf's corrections, while the clients write:
#   rf-5 (2 on 30 Nov) moved to r2; rf-2 (3 on 10 Nov) deleted;
#   rf-7  1 Dec 10:00 UTC = 23:45 on 1 Dec   9 calls
#   tracked 5  30 Nov 10:15 UTC outbound = 1 Dec   1 call
#   tracked 2  made outbound: 1 call on 11 Nov
#   tracked 4  (closed 21 Aug) made inbound: a late change of -1, the
#              closed figure stays
my $corrected = 0;
my $correct = sub {
	return if $corrected || time() - $t2 < $seconds / 4;
	$corrected = 1;
	$standby->safe_psql('sb', q{
		UPDATE quota.activity SET rep_id = 'r2' WHERE external_id = 'rf-5';
		DELETE FROM quota.activity WHERE external_id = 'rf-2';
		INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
		VALUES ('rf', 'call', '2026-12-01 10:00+00', 9, 'rf-7', 'hand');
		INSERT INTO app.calls VALUES (5, 'rf', '2026-11-30 10:15+00', 'outbound');
		UPDATE app.calls SET direction = 'outbound' WHERE id = 2;
		UPDATE app.calls SET direction = 'inbound' WHERE id = 4;});
};
my ($sent_before, $committed_before) = ($sent, $committed);
clients_write($seconds / 2, $correct);
$correct->() unless $corrected;
($sent, $committed, $failed) = (0, 0, 0);
for my $cl (@clients)
{
	$sent += $cl->{sent} // 0;
	$committed += $cl->{committed} // 0;
	$failed += $cl->{n_failed} // 0;
}
diag(sprintf('writers on the promoted standby: %d transactions, %d committed, %d failed',
	$sent - $sent_before, $committed - $committed_before, $failed));
is($failed, 0, 'no writer transaction failed on the promoted standby');

($ret, $out, $err) = $standby->psql('sb', q{UPDATE quota.activity SET qty = 5 WHERE external_id = 'rf-1'});
like($err, qr/closed/, 'the close of the periods holds on the promoted standby: a closed activity row cannot change');
is($standby->safe_psql('sb', q{SELECT row_key || ' ' || day || ' ' || qty_change || ' ' || rows_change FROM quota.late_change WHERE rep_id = 'rf'}),
	'4 2026-08-21 -1 -1', 'the tracked call of a closed day made inbound is a late change of -1');

($acts, $calls) = check_writer_rows('promoted', $standby);
diag("promoted standby: $acts rows of the writers in quota.activity, $calls in app.calls");
# rf by hand after the corrections:
#   2026-08-10  4   (closed)
#   2026-08-21  1   (closed; the late change does not move it)
#   2026-10-01  1
#   2026-11-01  7
#   2026-11-11  7   rf-3 5 + tracked 1 + tracked 2
#   2026-12-01  16  rf-6 6 + rf-7 9 + tracked 5
# (10 Nov and 30 Nov are 0 now) sum 36; the recount of rf's rows is 4 + 5
# + 7 + 6 + 9 = 31 activity, 4 outbound calls (1, 2, 3, 5), less the late
# change -1: 36.  November 7 + 7 = 14 of 20 (0.7000, missed), December 16
# (0.8000); at 2026-11-20 12:00 UTC: 14 (0.7000), pace 14 / 13.38194 =
# 1.0462, projected 14 / 0.66910 = 20.92, on track.
my %rf_after = (
	days => join("\n", '2026-08-10 4', '2026-08-21 1', '2026-10-01 1', '2026-11-01 7', '2026-11-11 7', '2026-12-01 16'),
	sum => 36,
	as_of => '20.00 14 0.7000 0.6691 13.38 20.92 1.0462 on_track');
$december_status = $standby->safe_psql('sb',
	q{SELECT status FROM quota.progress WHERE rep_id = 'rf' AND kind = 'call' AND period_start = '2026-12-01'});
$rf_after{progress} = join("\n", '2026-10-01 20.00 1 0.0500 missed', '2026-11-01 20.00 14 0.7000 missed',
	"2026-12-01 20.00 16 0.8000 $december_status");
check_totals('promoted', $standby, %rf_after);
diag('promoted standby: ' . $standby->safe_psql('sb', q{SELECT (SELECT count(*) FROM quota.activity) || ' activity rows, '
	|| (SELECT count(*) FROM app.calls) || ' calls, ' || (SELECT count(*) FROM quota.late_change) || ' late changes, '
	|| (SELECT count(*) FROM quota.team_progress) || ' rows of team progress, ' || (SELECT count(*) FROM quota.scoreboard) || ' of the scoreboard'}));

$standby->stop;
done_testing();
