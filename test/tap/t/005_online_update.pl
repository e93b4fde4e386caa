# ALTER EXTENSION quota_ext UPDATE while apps insert activity.
#
# A node of its own; for every released version v of quota_ext other than
# the default one (read from pg_available_extension_versions at run time),
# a database of its own with CREATE EXTENSION quota_ext VERSION 'v', six
# reps in six time zones, monthly and weekly assignments and 600 seed
# activity rows.  Then pgbench runs ONLINE_UPDATE_CLIENTS clients (8, -j 2)
# inserting one activity row per transaction with a new external id
# (online_update/insert.sql), and one more client reading quota.progress
# (online_update/progress_read.sql), both for ONLINE_UPDATE_SECONDS (8) with
# a log of every transaction; after ONLINE_UPDATE_DELAY seconds (2) another
# session runs ALTER EXTENSION quota_ext UPDATE (to the default version).
# The node runs with deadlock_timeout = 100ms and log_lock_waits.  Then:
#
#  - pgbench aborted no client and no transaction failed (pgbench retries
#    deadlocks and serialization failures, at most ONLINE_UPDATE_MAX_TRIES
#    tries); no ERROR but deadlocks is in the server's log;
#  - the update committed, the extension is at the default version, no
#    insert or read was retried and no deadlock is in the server's log (a
#    retry is reported, not hidden: an app without retries would have
#    failed);
#  - the activity rows of the clients are exactly their committed
#    transactions (in all, and per client, one row per external id: nothing
#    lost, nothing counted twice), the seed is unchanged, quota.verify() is
#    empty and the totals of quota.activity summed over quota.daily_total
#    equal a recount (in all and per rep and kind);
#  - the update holds no relation that a reader of quota.progress reads
#    (listed in the old version, before the load) in ACCESS EXCLUSIVE mode
#    (the one mode that blocks a reader, until the update commits).
#
# A path that runs a released step with known lock problems (%known_steps
# below) is run as README's Upgrading says: in a transaction that first
# locks quota.progress (holding its readers) and quota.activity (holding
# its writers), then updates; every check holds for it too, but the last,
# which README's statement replaces (the update holds readers of progress
# until it commits).  Printed, per version (never asserted): the
# update's duration, the longest insert latency of a transaction
# overlapping the update (the stall), the median insert latency of the
# others, the same for the reads of progress, tps, the lock waits logged,
# and the deadlocks with their relations named.
#
# Knobs: ONLINE_UPDATE_SECONDS (8), ONLINE_UPDATE_DELAY (2),
# ONLINE_UPDATE_CLIENTS (8), ONLINE_UPDATE_MAX_TRIES (10),
# ONLINE_UPDATE_TIMEOUT (600), ONLINE_UPDATE_VERBOSE (every deadlock and
# lock wait logged).
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time sleep);
use FindBin;
use List::Util qw(max);

my $seconds = $ENV{ONLINE_UPDATE_SECONDS} // 8;
my $delay = $ENV{ONLINE_UPDATE_DELAY} // 2;
my $n_clients = $ENV{ONLINE_UPDATE_CLIENTS} // 8;
my $max_tries = $ENV{ONLINE_UPDATE_MAX_TRIES} // 10;
my $scripts = "$FindBin::RealBin/online_update";

# Never hang: give up (and stop the node, in the modules' END block).
local $SIG{ALRM} = sub { BAIL_OUT('online update test timed out'); };
alarm($ENV{ONLINE_UPDATE_TIMEOUT} // 600);

# Steps of the update path, in released (frozen) scripts, whose locks
# make a plain ALTER EXTENSION UPDATE deadlock with inserts or readers, or
# hold readers: a path that runs one of them takes README's locks first.
my %known_steps = (
	'0.1--0.2' => 'ALTER TABLE quota.assignment holds readers of progress until the update commits',
	'0.2--0.3' => 'DROP TRIGGER on quota.activity, then on quota.rep (ACCESS EXCLUSIVE each): '
	  . 'a reader of progress holding quota.rep and waiting for quota.activity deadlocks with it',
	'0.3--0.4' => 'ALTER TABLE quota.daily_total (ACCESS EXCLUSIVE) before quota.rebuild() locks quota.activity: '
	  . 'an insert holding quota.activity and waiting to write its totals deadlocks with it');

my $node = PostgreSQL::Test::Cluster->new('online_update');
$node->init;
$node->append_conf('postgresql.conf', <<'CONF');
max_connections = 30
shared_buffers = 128MB
log_statement = none
log_min_messages = warning
log_lock_waits = on
deadlock_timeout = '100ms'
timezone = 'UTC'
# From 0.2 on, the plan of a read of quota.progress costs more than
# jit_above_cost: the first read of a session after the update JIT-compiles
# for seconds, which would hide how long it waited for the update.
jit = off
CONF
$node->start;

my $default = $node->safe_psql('postgres',
	"SELECT default_version FROM pg_available_extensions WHERE name = 'quota_ext'");
sub version_cmp
{
	my @a = split /\./, $_[0];
	my @b = split /\./, $_[1];
	while (@a || @b)
	{
		my ($x, $y) = (shift(@a) // '', shift(@b) // '');
		my $c = ($x =~ /^\d+$/ && $y =~ /^\d+$/) ? $x <=> $y : $x cmp $y;
		return $c if $c;
	}
	return 0;
}
my @versions = sort { version_cmp($a, $b) } grep { $_ ne $default } split /\n/,
  $node->safe_psql('postgres',
	"SELECT version FROM pg_available_extension_versions WHERE name = 'quota_ext'");
plan skip_all => "quota_ext has no version but the default one ($default)" unless @versions;
diag("online update: from " . join(', ', @versions) . " to $default; $n_clients inserting clients "
	  . "and 1 reader for $seconds s, the update after $delay s");
diag("known lock problems of $_: $known_steps{$_}") for sort keys %known_steps;

my @reps = (
	[ 'ou1', 'UTC' ], [ 'ou2', 'Europe/Helsinki' ], [ 'ou3', 'America/Los_Angeles' ],
	[ 'ou4', 'Asia/Kolkata' ], [ 'ou5', 'Pacific/Chatham' ], [ 'ou6', 'Pacific/Honolulu' ]);

my $logdir = PostgreSQL::Test::Utils::tempdir;
my @conn = ('-h', $node->host, '-p', $node->port);

sub median
{
	my @s = sort { $a <=> $b } @_;
	return undef unless @s;
	return @s % 2 ? $s[ $#s / 2 ] : ($s[ @s / 2 - 1 ] + $s[ @s / 2 ]) / 2;
}

sub ms { return defined $_[0] ? sprintf('%.1f ms', $_[0] * 1000) : 'n/a'; }

# Reads the transaction logs of a pgbench run (files <prefix>.<pid>[.<thread>]):
# client, end (epoch, s), latency (s, undef when the transaction failed).
sub read_tx_log
{
	my ($prefix) = @_;
	my @tx;
	for my $file (glob("$prefix.*"))
	{
		open(my $fh, '<', $file) or die "cannot read $file: $!";
		while (my $line = <$fh>)
		{
			my ($client, $no, $latency, $script, $epoch, $us) = split ' ', $line;
			push @tx, {
				client => $client,
				end => $epoch + $us / 1e6,
				latency => ($latency =~ /^\d+$/ ? $latency / 1e6 : undef) };
		}
		close $fh;
	}
	return @tx;
}

# Parses pgbench's summary.
sub pgbench_summary
{
	my ($out) = @_;
	my %s;
	($s{processed}) = $out =~ /^number of transactions actually processed: (\d+)/m;
	($s{failed}) = $out =~ /^number of failed transactions: (\d+)/m;
	($s{retried}) = $out =~ /^number of transactions retried: (\d+)/m;
	($s{retries}) = $out =~ /^total number of retries: (\d+)/m;
	($s{serialization}) = $out =~ /^number of serialization failures: (\d+)/m;
	($s{deadlock}) = $out =~ /^number of deadlock failures: (\d+)/m;
	($s{tps}) = $out =~ /^tps = ([\d.]+)/m;
	$s{$_} //= 0 for qw(failed retried retries serialization deadlock);
	return \%s;
}

# The latencies of transactions that overlap [t0, t1] (their longest) and
# of the others (their median).
sub window_figures
{
	my ($t0, $t1, @tx) = @_;
	my (@in, @out);
	for my $tx (grep { defined $_->{latency} } @tx)
	{
		my $start = $tx->{end} - $tx->{latency};
		if ($start < $t1 && $tx->{end} > $t0) { push @in, $tx->{latency}; }
		else { push @out, $tx->{latency}; }
	}
	return { n_in => scalar(@in), max_in => max(@in), median_out => median(@out) };
}

for my $v (@versions)
{
	(my $db = "online_update_$v") =~ s/\W/_/g;
	$node->safe_psql('postgres', "CREATE DATABASE $db");
	$node->safe_psql($db, join("\n",
		'SET client_min_messages = warning;',
		"CREATE EXTENSION quota_ext VERSION '$v' CASCADE;",
		'INSERT INTO quota.rep (rep_id, name, time_zone) VALUES '
		  . join(', ', map { "('$_->[0]', 'Rep $_->[0]', '$_->[1]')" } @reps) . ';',
		q{INSERT INTO quota.assignment (rep_id, kind, target, valid)
		  SELECT r.rep_id, k.kind, k.target, daterange((date_trunc('month', now()) - interval '2 months')::date, NULL)
		    FROM quota.rep r
		   CROSS JOIN (VALUES ('call', '400/month'::quota.quota), ('email', '90/week'::quota.quota),
		                      ('meeting', '30/month'::quota.quota)) AS k(kind, target);},
		# qty 2, 3, 4, 1 repeating: 600 rows, 150 x 10 = 1500.
		q{INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
		  SELECT 'ou' || (1 + i % 6), (ARRAY['call', 'email', 'meeting', 'demo', 'opportunity'])[1 + i % 5],
		         now() - interval '1 minute' - (i * 1439 % 864000) * interval '1 second', 1 + i % 4,
		         'seed-' || i, 'seed'
		    FROM generate_series(1, 600) AS i;}));
	is($node->safe_psql($db, "SELECT extversion FROM pg_extension WHERE extname = 'quota_ext'"),
		$v, "$v: the database starts at version $v");
	my $path = $node->safe_psql($db,
		"SELECT path FROM pg_extension_update_paths('quota_ext') WHERE source = '$v' AND target = '$default'");
	my @path = split /--/, $path;
	my @known = grep { $known_steps{$_} } map { "$path[$_]--$path[$_ + 1]" } 0 .. $#path - 1;
	# README's way for those steps: the locks first, in the order apps take them.
	my $locks_first = @known ? q{LOCK TABLE quota.progress IN ACCESS EXCLUSIVE MODE;
		LOCK TABLE quota.activity IN SHARE ROW EXCLUSIVE MODE;} : '';
	diag("$v: update path $path" . (@known ? '; steps with known lock problems: ' . join(', ', @known)
		  . ', so the update locks quota.progress and quota.activity first' : ''));

	# What a reader of quota.progress locks under the old version.
	my @read = split /\n/, $node->safe_psql($db, q{
		BEGIN;
		SELECT count(*) FROM quota.progress;
		SELECT l.relation || ' ' || l.relation::regclass
		  FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
		 WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND c.relnamespace <> 'pg_catalog'::regnamespace;
		COMMIT;});
	my $progress_rows = shift @read;
	my %reader_reads = map { split / /, $_, 2 } @read;

	my $log_offset = -s $node->logfile;
	my $prefix = "$logdir/$db";
	my $started = time();
	my $inserters = IPC::Run::start(
		[ 'pgbench', '-n', @conn, '-c', $n_clients, '-j', 2, '-T', $seconds,
		  "--max-tries=$max_tries", '--failures-detailed', '-D', 'n=0',
		  '-l', "--log-prefix=${prefix}_insert_tx", '-f', "$scripts/insert.sql", $db ],
		'>', "${prefix}_insert.out", '2>', "${prefix}_insert.err");
	my $reader = IPC::Run::start(
		[ 'pgbench', '-n', @conn, '-c', 1, '-j', 1, '-T', $seconds,
		  "--max-tries=$max_tries", '--failures-detailed',
		  '-l', "--log-prefix=${prefix}_read_tx", '-f', "$scripts/progress_read.sql", $db ],
		'>', "${prefix}_read.out", '2>', "${prefix}_read.err");
	sleep($delay);

	# The update, in a transaction that lists the relations it holds in
	# ACCESS EXCLUSIVE mode before it commits.
	my $sent = time();
	my ($rc, $out, $err) = $node->psql($db, qq{
		SET client_min_messages = warning;
		BEGIN;
		SELECT 't0 ' || extract(epoch FROM clock_timestamp());
		$locks_first
		ALTER EXTENSION quota_ext UPDATE;
		SELECT 'held ' || coalesce(string_agg(relation::text, ' '), '')
		  FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND mode = 'AccessExclusiveLock';
		COMMIT;
		SELECT 't1 ' || extract(epoch FROM clock_timestamp());});
	my $returned = time();
	my ($t0) = $out =~ /^t0 ([\d.]+)/m;
	my ($t1) = $out =~ /^t1 ([\d.]+)/m;
	my ($held) = $out =~ /^held ?(.*)$/m;
	$t0 //= $sent;
	$t1 //= $returned;

	$inserters->finish;
	my $inserters_rc = $inserters->full_result(0) >> 8;
	$reader->finish;
	my $reader_rc = $reader->full_result(0) >> 8;

	# pgbench's figures and the server's log of this run.
	my $log = PostgreSQL::Test::Utils::slurp_file($node->logfile, $log_offset);
	my @errors = grep { /\b(ERROR|FATAL|PANIC):/ } split /\n/, $log;
	my @deadlocks = grep { /ERROR:  deadlock detected/ } @errors;
	my @other_errors = grep { !/ERROR:  deadlock detected/ } @errors;
	my @lock_waits = grep { /still waiting for/ } split /\n/, $log;
	my %ins = %{ pgbench_summary(PostgreSQL::Test::Utils::slurp_file("${prefix}_insert.out")) };
	my %rd = %{ pgbench_summary(PostgreSQL::Test::Utils::slurp_file("${prefix}_read.out")) };
	my $ins_err = PostgreSQL::Test::Utils::slurp_file("${prefix}_insert.err");
	my $rd_err = PostgreSQL::Test::Utils::slurp_file("${prefix}_read.err");
	my @ins_tx = read_tx_log("${prefix}_insert_tx");
	my @rd_tx = read_tx_log("${prefix}_read_tx");

	ok($inserters_rc == 0 && defined $ins{processed} && $ins_err !~ /aborted/,
		"$v: pgbench's inserting clients ran to the end (exit status $inserters_rc)")
	  or diag("pgbench: $ins_err");
	is($ins{failed}, 0, "$v: no insert failed ($ins{serialization} serialization, $ins{deadlock} deadlock failures)");
	ok($reader_rc == 0 && defined $rd{processed} && $rd_err !~ /aborted/,
		"$v: pgbench's reader of quota.progress ran to the end (exit status $reader_rc)")
	  or diag("pgbench: $rd_err");
	is($rd{failed}, 0, "$v: no read of quota.progress failed");
	is(scalar(@other_errors), 0, "$v: no ERROR in the server's log during the run but deadlocks")
	  or diag(join("\n", @other_errors[ 0 .. ($#other_errors < 9 ? $#other_errors : 9) ]));
	is($rc, 0, "$v: ALTER EXTENSION quota_ext UPDATE committed while the clients ran")
	  or diag("the update: $err");
	is($node->safe_psql($db, "SELECT extversion FROM pg_extension WHERE extname = 'quota_ext'"),
		$default, "$v: the extension is at the default version $default");
	is($ins{retried}, 0, "$v: no insert was retried after a deadlock or a serialization failure ($ins{retries} retries)");
	is($rd{retried}, 0, "$v: no read of quota.progress was retried ($rd{retries} retries)");
	is(scalar(@deadlocks), 0, "$v: no deadlock in the server's log");
	if (@deadlocks)
	{
		# The deadlocks as the server logged them, with the relations named.
		my %oids = map { $_ => 1 } $log =~ /on relation (\d+) of database/g;
		my $names = join(', ', map { "$_ = " . $node->safe_psql($db, "SELECT ${_}::oid::regclass") } sort keys %oids);
		my @lines = split /\n/, $log;
		my @at = grep { $lines[$_] =~ /ERROR:  deadlock detected/ } 0 .. $#lines;
		@at = ($at[0]) unless $ENV{ONLINE_UPDATE_VERBOSE};
		for my $i (@at)
		{
			my $j = $i + 1;
			$j++ while $j <= $#lines && $lines[$j] =~ /^\t|DETAIL:/;
			diag(join("\n", @lines[ $i .. $j - 1 ]));
		}
		diag("  " . scalar(@deadlocks) . " deadlocks; relations: $names");
	}

	# Rows: the committed transactions, each once.
	my $committed_logged = grep { defined $_->{latency} } @ins_tx;
	my ($rows, $distinct) = split /\|/, $node->safe_psql($db,
		"SELECT count(*), count(DISTINCT external_id) FROM quota.activity WHERE source = 'online_update'");
	is($rows, $ins{processed} // -1,
		"$v: the clients' activity rows ($rows) = the transactions pgbench committed (" . ($ins{processed} // '?') . ')');
	is($rows, $committed_logged, "$v: = the committed transactions in pgbench's log ($committed_logged)");
	is($distinct, $rows, "$v: one row per external id");
	my %per_client;
	$per_client{ $_->{client} }++ for grep { defined $_->{latency} } @ins_tx;
	my %have = map { split /\|/ } split /\n/, $node->safe_psql($db,
		"SELECT split_part(external_id, '-', 2), count(*) FROM quota.activity WHERE source = 'online_update' GROUP BY 1");
	my @bad_clients = grep { ($have{$_} // 0) != ($per_client{$_} // 0) } keys %{ { %have, %per_client } };
	is(scalar(@bad_clients), 0, "$v: rows per client = its committed transactions (" . scalar(keys %per_client) . ' clients)')
	  or diag(join(', ', map { "client $_: " . ($have{$_} // 0) . ' rows, ' . ($per_client{$_} // 0) . ' logged' } @bad_clients));
	is($node->safe_psql($db, "SELECT count(*) || ' ' || sum(qty) FROM quota.activity WHERE source = 'seed'"),
		'600 1500', "$v: the seed is unchanged (600 rows, qty 1500)");

	# Totals = recount.
	is($node->safe_psql($db, 'SELECT count(*) FROM quota.verify()'), '0', "$v: quota.verify() is empty")
	  or diag($node->safe_psql($db, 'SELECT * FROM quota.verify() LIMIT 10'));
	my $of_activity = $node->safe_psql($db, q{
		SELECT CASE WHEN EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'quota.daily_total'::regclass
		                          AND attname = 'tracking_id' AND NOT attisdropped)
		            THEN 'tracking_id = 0' ELSE 'true' END});
	my ($totals, $recount) = split / /, $node->safe_psql($db, qq{
		SELECT (SELECT sum(qty) FROM quota.daily_total WHERE $of_activity) || ' ' || (SELECT sum(qty) FROM quota.activity)});
	is($totals, $recount, "$v: totals of quota.activity summed over quota.daily_total ($totals) = recount");
	is($node->safe_psql($db, qq{
		SELECT count(*) FROM (SELECT rep_id, kind, sum(qty) AS qty FROM quota.daily_total WHERE $of_activity GROUP BY 1, 2) t
		  FULL JOIN (SELECT rep_id, kind, sum(qty) AS qty FROM quota.activity GROUP BY 1, 2) a USING (rep_id, kind)
		 WHERE coalesce(t.qty, 0) <> coalesce(a.qty, 0)}),
		'0', "$v: totals per rep and kind = recount");

	# Readers held until the update commits.
	my @held = grep { exists $reader_reads{$_} } split ' ', ($held // '');
	if (!@known)
	{
		is(defined $held ? join(', ', sort map { $reader_reads{$_} } @held) : '(unknown: the update did not get there)', '',
			"$v: the update holds nothing a reader of quota.progress reads in ACCESS EXCLUSIVE mode");
	}

	# Figures.
	my $fi = window_figures($t0, $t1, @ins_tx);
	my $fr = window_figures($t0, $t1, @rd_tx);
	my $line = sprintf('%s -> %s: update %s; inserts: %d committed (%.0f tps), %d overlapping the update, '
		  . 'longest %s (the stall), median of the others %s; reads of progress (%s rows): %d, longest overlapping %s, '
		  . 'median of the others %s; %d lock waits logged; readers held: %s',
		$v, $default, ms($t1 - $t0), $ins{processed} // 0, $ins{tps} // 0, $fi->{n_in}, ms($fi->{max_in}),
		ms($fi->{median_out}), $progress_rows, $rd{processed} // 0, ms($fr->{max_in}), ms($fr->{median_out}),
		scalar(@lock_waits), defined $held ? join(', ', sort map { $reader_reads{$_} } @held) || 'none' : 'unknown');
	diag($line);
	diag("  the update ended after the clients did: the stall may be longer than measured")
	  if $t1 > $started + $seconds;
	if ($ENV{ONLINE_UPDATE_VERBOSE})
	{
		diag("  $_") for @lock_waits;
	}
}

$node->stop;
done_testing();
