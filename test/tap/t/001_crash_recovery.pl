# Crash recovery of quota_ext's live totals.
#
# A node of its own; several psql clients insert, correct, delete and
# re-send activity of their own (unique external ids), each transaction
# also writing (client, seq) into crash_log; a session holds an
# uncommitted transaction and two transactions are prepared (2PC).  In the
# middle of this the postmaster is killed with SIGKILL (round 1: the
# postmaster alone, its backends finish what they were doing; round 2: the
# postmaster and every server process at once) and started again.  Then:
#
#  - every transaction whose COMMIT the client saw is in crash_log, no failed
#    one is, and at most the one in flight per client is there unseen;
#  - the activity of the clients is exactly what their committed
#    transactions wrote (kept by each client, in Perl), nothing of the open
#    transaction is there, the prepared ones are pending and invisible;
#  - quota.verify() is empty and the totals summed over quota.daily_total
#    equal a recount of quota.activity (in all and per rep and kind);
#  - after COMMIT PREPARED and ROLLBACK PREPARED, the same holds.
#
# Knobs: CRASH_CLIENTS (6), CRASH_SECONDS (4 per round), CRASH_ROUNDS (2),
# CRASH_SEED (random; printed).
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

my $n_clients = $ENV{CRASH_CLIENTS} // 6;
my $seconds = $ENV{CRASH_SECONDS} // 4;
my $rounds = $ENV{CRASH_ROUNDS} // 2;
my $seed = $ENV{CRASH_SEED} // (time() * 1000) % 1000000007;
srand($seed);
# Never hang: give up (and stop the node, in the modules' END block) after
# CRASH_TIMEOUT seconds.
local $SIG{ALRM} = sub { BAIL_OUT('crash recovery test timed out'); };
alarm($ENV{CRASH_TIMEOUT} // 600);
diag("crash recovery: $n_clients clients, $rounds rounds of $seconds s, CRASH_SEED=$seed");

my @reps = (
	[ 'r1', 'UTC' ], [ 'r2', 'Europe/Helsinki' ],
	[ 'r3', 'America/Los_Angeles' ], [ 'r4', 'Asia/Kolkata' ],
	[ 'r5', 'Pacific/Chatham' ], [ 'r6', 'Pacific/Honolulu' ]);
my @kinds = qw(call email meeting demo opportunity social_contact);

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf('postgresql.conf', <<'CONF');
max_prepared_transactions = 4
max_connections = 40
log_statement = none
log_min_messages = warning
log_checkpoints = on
timezone = 'UTC'
CONF
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE crash');
$node->safe_psql('crash', join("\n",
	'SET client_min_messages = warning;',
	'CREATE EXTENSION quota_ext CASCADE;',
	'INSERT INTO quota.rep (rep_id, name, time_zone) VALUES '
	  . join(', ', map { "('$_->[0]', 'Rep $_->[0]', '$_->[1]')" } @reps, [ 'rp', 'UTC' ]) . ';',
	# Old activity, then its period closed: it must stay as it is.
	q{INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
	  SELECT 'r' || (1 + i % 6), 'call', now() - interval '40 days' - i * interval '1 hour', 1 + i % 4, 'old-' || i, 'old'
	    FROM generate_series(1, 500) AS i;},
	q{SELECT quota.close_period((now() - interval '30 days')::date);},
	'CREATE TABLE crash_log (client int, seq int, PRIMARY KEY (client, seq));'));
my $old = $node->safe_psql('crash', "SELECT count(*) || ' ' || sum(qty) FROM quota.activity WHERE source = 'old'");

# ---------------------------------------------------------------------------
# The clients: one psql each, fed one transaction at a time on stdin.  A
# transaction is sent as one request (statements joined by \;), then psql
# echoes "TX client seq <error>", so that the client knows whether COMMIT
# succeeded.  Each client keeps the activity it committed: external id ->
# [rep, kind, epoch, qty].

my @clients;
my $now0 = int(time());

sub sql_text { my $s = shift; $s =~ s/'/''/g; return "'$s'"; }

sub random_row
{
	my $rep = $reps[ int(rand(@reps)) ][0];
	my $kind = $kinds[ int(rand(@kinds)) ];
	my $epoch = $now0 - 60 - int(rand(10 * 86400));
	my $qty = 1 + int(rand(20));
	$qty += 0.5 if rand() < 0.2;
	return [ $rep, $kind, $epoch, $qty ];
}

sub values_sql
{
	my ($id, $row) = @_;
	return sprintf("('%s', '%s', to_timestamp(%d), %s, %s, 'crash')",
		$row->[0], $row->[1], $row->[2], $row->[3], sql_text($id));
}

sub live_ids_untouched
{
	my ($cl, $touched, $n) = @_;
	my @live = grep { !exists $touched->{$_} } keys %{ $cl->{rows} };
	my @pick;
	while (@live && @pick < $n)
	{
		my $i = int(rand(@live));
		push @pick, splice(@live, $i, 1);
	}
	return @pick;
}

# Makes the next transaction of a client: its SQL and its changes
# (external id -> new row, or undef when deleted).
sub next_transaction
{
	my ($cl, $slow) = @_;
	my %changes;
	my @statements;
	my $ops = 1 + int(rand(3));
	for (1 .. $ops)
	{
		my $r = rand();
		if ($r < 0.35 || keys %{ $cl->{rows} } < 20)
		{
			my $n = rand() < 0.1 ? 20 + int(rand(30)) : 1 + int(rand(4));
			my @values;
			for (1 .. $n)
			{
				my $id = "c$cl->{id}-" . ++$cl->{next_id};
				my $row = random_row();
				$changes{$id} = $row;
				push @values, values_sql($id, $row);
			}
			push @statements,
			  'INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) VALUES '
			  . join(', ', @values);
		}
		elsif ($r < 0.55)
		{
			my ($id) = live_ids_untouched($cl, \%changes, 1) or next;
			my $row = random_row();
			$changes{$id} = $row;
			push @statements, sprintf(
				"UPDATE quota.activity SET rep_id = '%s', kind = '%s', occurred_at = to_timestamp(%d), qty = %s WHERE external_id = %s",
				@$row, sql_text($id));
		}
		elsif ($r < 0.65)
		{
			my @ids = live_ids_untouched($cl, \%changes, 2 + int(rand(10))) or next;
			for my $id (@ids)
			{
				my $row = [ @{ $cl->{rows}{$id} } ];
				$row->[3] += 1;
				$changes{$id} = $row;
			}
			push @statements, 'UPDATE quota.activity SET qty = qty + 1 WHERE external_id IN ('
			  . join(', ', map { sql_text($_) } @ids) . ')';
		}
		elsif ($r < 0.8)
		{
			my @ids = live_ids_untouched($cl, \%changes, rand() < 0.7 ? 1 : 5) or next;
			$changes{$_} = undef for @ids;
			push @statements, 'DELETE FROM quota.activity WHERE external_id IN ('
			  . join(', ', map { sql_text($_) } @ids) . ')';
		}
		elsif ($r < 0.9)
		{
			# Deleted and sent again in the same transaction.
			my ($id) = live_ids_untouched($cl, \%changes, 1) or next;
			my $row = random_row();
			$changes{$id} = $row;
			push @statements, 'DELETE FROM quota.activity WHERE external_id = ' . sql_text($id);
			push @statements,
			  'INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) VALUES '
			  . values_sql($id, $row);
		}
		else
		{
			# A retried delivery of a row already there: counts nothing.
			my ($id) = live_ids_untouched($cl, \%changes, 1) or next;
			push @statements,
			  'INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) VALUES '
			  . values_sql($id, random_row()) . ' ON CONFLICT (external_id) DO NOTHING';
			$changes{$id} = $cl->{rows}{$id};
		}
	}
	my $seq = ++$cl->{seq};
	push @statements, "INSERT INTO crash_log VALUES ($cl->{id}, $seq)";
	push @statements, 'SELECT pg_sleep(1)' if $slow;
	my $sql = join(' \; ', 'BEGIN', @statements, 'COMMIT') . ";\n"
	  . "\\echo 'TX $cl->{id} $seq' :ERROR\n\\if :ERROR\nROLLBACK;\n\\endif\n";
	return { seq => $seq, sql => $sql, changes => \%changes, statements => scalar(@statements) };
}

sub apply_changes
{
	my ($cl, $tx) = @_;
	while (my ($id, $row) = each %{ $tx->{changes} })
	{
		if (defined $row) { $cl->{rows}{$id} = $row; }
		else { delete $cl->{rows}{$id}; }
	}
}

clients_configured(
	connstr => sub { $node->connstr('crash') },
	next_transaction => \&next_transaction,
	apply_changes => \&apply_changes);

# The checks after a restart.  $phase names them.
sub check_state
{
	my ($phase, %expect) = @_;

	# Which transactions committed, by crash_log.
	my %logged;
	for (split /\n/, $node->safe_psql('crash', 'SELECT client, seq FROM crash_log'))
	{
		my ($c, $s) = split /\|/;
		$logged{$c}{$s} = 1;
	}
	my ($lost, $phantom, $failed_there, $inflight_committed, $inflight_lost) = (0, 0, 0, 0, 0);
	for my $cl (@clients)
	{
		my $log = $logged{ $cl->{id} } // {};
		for my $s (keys %{ $cl->{acked} }) { $lost++ unless $log->{$s}; }
		for my $s (keys %{ $cl->{failed} }) { $failed_there++ if $log->{$s}; }
		my $inflight = $cl->{inflight};
		for my $s (keys %$log)
		{
			next if $cl->{acked}{$s};
			if ($inflight && $inflight->{seq} == $s) { next; }
			$phantom++;
		}
		if ($inflight)
		{
			if ($log->{ $inflight->{seq} })
			{
				apply_changes($cl, $inflight);
				$cl->{acked}{ $inflight->{seq} } = 1;
				$inflight_committed++;
			}
			else
			{
				$cl->{failed}{ $inflight->{seq} } = 1;
				$inflight_lost++;
			}
			$cl->{inflight} = undef;
		}
	}
	is($lost, 0, "$phase: every transaction whose COMMIT a client saw is in crash_log");
	is($phantom + $failed_there, 0, "$phase: no transaction that failed or was never sent is in crash_log");
	diag("$phase: transactions in flight at the crash: $inflight_committed committed, $inflight_lost not")
	  if $inflight_committed + $inflight_lost;

	# The clients' activity, row by row.
	my %expected;
	for my $cl (@clients)
	{
		while (my ($id, $row) = each %{ $cl->{rows} }) { $expected{$id} = join('|', @$row); }
	}
	my %have;
	for (split /\n/, $node->safe_psql('crash',
		"SELECT external_id, rep_id, kind, extract(epoch FROM occurred_at)::bigint, qty FROM quota.activity WHERE source = 'crash'"))
	{
		my ($id, @rest) = split /\|/;
		$have{$id} = join('|', @rest);
	}
	my (@missing, @extra, @wrong);
	for my $id (keys %expected)
	{
		if (!exists $have{$id}) { push @missing, $id; }
		elsif ($have{$id} ne $expected{$id}) { push @wrong, "$id: $have{$id} (expected $expected{$id})"; }
	}
	for my $id (keys %have) { push @extra, $id unless exists $expected{$id}; }
	is(scalar(@missing), 0, "$phase: every committed activity row is there (" . scalar(keys %expected) . ' rows)')
	  or diag('missing: ' . join(', ', (sort @missing)[ 0 .. ($#missing < 9 ? $#missing : 9) ]));
	for my $id ((sort @missing, @extra, map { /^(\S+):/ } @wrong)[ 0 .. 2 ])
	{
		last unless defined $id;
		my ($c) = $id =~ /^c(\d+)-/ or next;
		my $cl = $clients[ $c - 1 ];
		for my $seq (sort { $a <=> $b } keys %{ $cl->{txs} })
		{
			my $tx = $cl->{txs}{$seq};
			next unless exists $tx->{changes}{$id};
			diag(sprintf('  %s in transaction %d (%s): %s', $id, $seq,
				$cl->{acked}{$seq} ? 'committed' : $cl->{failed}{$seq} ? 'failed' : 'unknown',
				defined $tx->{changes}{$id} ? join('|', @{ $tx->{changes}{$id} }) : 'deleted'));
			diag("    $tx->{sql}") if $ENV{CRASH_VERBOSE};
		}
	}
	is(scalar(@extra), 0, "$phase: no activity of an uncommitted transaction is there")
	  or diag('extra: ' . join(', ', (sort @extra)[ 0 .. ($#extra < 9 ? $#extra : 9) ]));
	is(scalar(@wrong), 0, "$phase: every committed row has its last committed values")
	  or diag('wrong: ' . join('; ', (sort @wrong)[ 0 .. ($#wrong < 4 ? $#wrong : 4) ]));

	is($node->safe_psql('crash', "SELECT count(*) FROM quota.activity WHERE external_id LIKE 'open-%'"),
		'0', "$phase: nothing of the open transaction is there");
	is($node->safe_psql('crash', "SELECT count(*) || ' ' || sum(qty) FROM quota.activity WHERE source = 'old'"),
		$old, "$phase: the activity of the closed period is unchanged");
	if (defined $expect{prepared})
	{
		is($node->safe_psql('crash', "SELECT string_agg(gid, ',' ORDER BY gid) FROM pg_prepared_xacts WHERE database = 'crash'"),
			$expect{prepared}, "$phase: prepared transactions pending: $expect{prepared}");
	}
	is($node->safe_psql('crash', "SELECT count(*) FROM quota.activity WHERE external_id LIKE 'prepared-%'"),
		$expect{prepared_rows} // 0, "$phase: rows of prepared transactions visible: " . ($expect{prepared_rows} // 0));

	my $verify = $node->safe_psql('crash', 'SELECT count(*) FROM quota.verify()');
	is($verify, '0', "$phase: quota.verify() is empty")
	  or diag($node->safe_psql('crash', 'SELECT * FROM quota.verify() LIMIT 10'));
	my $sums = $node->safe_psql('crash', q{
		SELECT (SELECT sum(qty) FROM quota.daily_total) || ' ' || (SELECT sum(qty) FROM quota.activity)});
	my ($totals, $recount) = split / /, $sums;
	is($totals, $recount, "$phase: totals summed over quota.daily_total ($totals) = recount of quota.activity");
	is($node->safe_psql('crash', q{
		SELECT count(*) FROM (SELECT rep_id, kind, sum(qty) AS qty FROM quota.daily_total GROUP BY 1, 2) t
		  FULL JOIN (SELECT rep_id, kind, sum(qty) AS qty FROM quota.activity GROUP BY 1, 2) a USING (rep_id, kind)
		 WHERE coalesce(t.qty, 0) <> coalesce(a.qty, 0)}),
		'0', "$phase: totals per rep and kind = recount");
	return scalar(keys %expected);
}

# A prepared transaction keeps the rows it wrote in its session's slot of
# quota.daily_total locked; a new session that gets the same backend number
# (the lowest free one, so the very next session) and writes the same rep,
# kind and day waits for it.  (Not part of the crash test; reported.)
{
	$node->safe_psql('crash', q{BEGIN;
		INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
		VALUES ('rp', 'call', now() - interval '1 minute', 1, 'hold-1', 'probe');
		PREPARE TRANSACTION 'probe-hold';});
	my $waited = 0;
	for (1 .. 3)
	{
		my ($ret, $out, $err) = $node->psql('crash', q{
			SET lock_timeout = '1s';
			INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, source)
			VALUES ('rp', 'call', now() - interval '1 minute', 1, 'probe');});
		$waited++ if $err =~ /lock timeout/;
	}
	$node->safe_psql('crash', "ROLLBACK PREPARED 'probe-hold'");
	is($waited, 0, 'no new session waits for the totals of a prepared transaction (3 tried)');
}

# ---------------------------------------------------------------------------
my $total_rows = 0;
for my $round (1 .. $rounds)
{
	my $full = $round % 2 == 0;
	client_start($_) for @clients;
	my $start = time();
	my $half_done = 0;
	my $open;
	my ($open_in, $open_out, $open_err) = ('', '', '');
	while (time() - $start < $seconds)
	{
		for my $cl (@clients)
		{
			client_pump($cl) or BAIL_OUT("client $cl->{id} ended before the crash: $cl->{err}");
			client_send($cl) unless $cl->{inflight};
		}
		if (!$half_done && time() - $start > $seconds / 2)
		{
			$half_done = 1;
			# A transaction left open, and (in round 1) two prepared ones.
			$open_in = "SET client_min_messages = error;\nBEGIN;\n"
			  . "INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source) "
			  . "SELECT 'r' || (1 + i % 6), 'call', now() - i * interval '1 minute', 1, 'open-$round-' || i, 'open' FROM generate_series(1, 50) AS i;\n"
			  . "UPDATE quota.activity SET qty = qty + 100 WHERE external_id IN (SELECT external_id FROM quota.activity WHERE external_id LIKE 'c1-%' LIMIT 5);\n"
			  . "\\echo OPEN\n";
			$open = IPC::Run::start([ 'psql', '-XAtq', '-d', $node->connstr('crash'), '-f', '-' ],
				'<', \$open_in, '>', \$open_out, '2>', \$open_err);
			if ($round == 1)
			{
				# Of other kinds: the second session may get the first's
				# backend number, and would wait for its totals (see above).
				for my $p ([ 'prepared-commit', 'demo' ], [ 'prepared-abort', 'meeting' ])
				{
					my ($gid, $kind) = @$p;
					$node->safe_psql('crash', "BEGIN;
						SET LOCAL lock_timeout = '20s';
						INSERT INTO quota.activity (rep_id, kind, occurred_at, qty, external_id, source)
						SELECT 'rp', '$kind', now() - i * interval '1 minute', 2, '$gid-' || i, 'prepared'
						  FROM generate_series(1, 10) AS i;
						PREPARE TRANSACTION '$gid';");
				}
			}
		}
		sleep(0.0005);
	}
	my $deadline = time() + 30;
	while ($open_out !~ /OPEN/ && time() < $deadline)
	{
		$open->pump_nb;
		for my $cl (@clients) { client_pump($cl); client_send($cl) unless $cl->{inflight}; }
	}
	BAIL_OUT("the open transaction did not start: $open_err") unless $open_out =~ /OPEN/;
	my $postmaster = $node->{_pid};
	my @pids = server_pids($postmaster);
	# Every client has a transaction in flight when the server dies: half of
	# them sleep before COMMIT, so that their work is surely uncommitted.
	for my $cl (@clients) { client_pump($cl); client_send($cl, $cl->{id} % 2) unless $cl->{inflight}; }
	$_->{h}->pump_nb for @clients;
	sleep(0.1);
	if ($full)
	{
		note("round $round: SIGKILL to the postmaster and its " . (@pids - 1) . ' children');
		kill(9, @pids);
		$node->{_pid} = undef;
	}
	else
	{
		note("round $round: SIGKILL to the postmaster");
		$node->kill9;
	}
	# Drain the clients: backends left running can still commit.
	for my $cl (@clients)
	{
		# psql notices a lost connection only when it sends something.
		$cl->{in} .= "\\q\n";
		my $until = time() + 60;
		while (client_pump($cl) && time() < $until) { sleep(0.01); }
		eval { $cl->{h}->finish; };
		client_pump($cl);
	}
	eval { $open->finish; };
	ok(wait_gone(@pids), "round $round: every server process ended after the SIGKILL ("
		  . ($full ? 'all at once' : 'postmaster alone') . ')');

	my $sent = 0;
	$sent += $_->{sent} for @clients;
	$node->start;
	my $log = PostgreSQL::Test::Utils::slurp_file($node->logfile);
	my ($redo) = $log =~ /.*(redo done at [^\n]*)/s;
	diag("round $round: $sent transactions sent so far, recovery: " . ($redo // 'no redo line in the log'));

	my $rows = check_state("round $round after restart",
		prepared => 'prepared-abort,prepared-commit',
		prepared_rows => 0);
	$total_rows = $rows;

}

# The prepared transactions: one committed, one rolled back after the crashes.
$node->safe_psql('crash', "COMMIT PREPARED 'prepared-commit'");
$node->safe_psql('crash', "ROLLBACK PREPARED 'prepared-abort'");
check_state('after COMMIT PREPARED and ROLLBACK PREPARED', prepared => '', prepared_rows => 10);

# Figures.
my ($committed, $failed, $statements) = (0, 0, 0);
for my $cl (@clients)
{
	$committed += scalar(keys %{ $cl->{acked} });
	$failed += $cl->{n_failed};
	$statements += $cl->{statements};
}
my $summary = $node->safe_psql('crash', q{
	SELECT (SELECT count(*) FROM quota.activity) || ' activity rows, ' ||
	       (SELECT count(*) FROM quota.daily_total) || ' totals rows, ' ||
	       (SELECT count(DISTINCT slot) FROM quota.daily_total) || ' slots'});
diag("committed transactions: $committed ($failed failed), $total_rows client rows checked; $summary");

$node->stop;
done_testing();
