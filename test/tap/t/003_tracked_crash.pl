# Crash recovery of the totals of tracked tables.
#
# A node of its own with two tracked tables: app.calls (a plain table,
# tracked as call where direction = 'outbound', 1 a row, on the rep's local
# day) and app.deals (partitioned by month on closed_on, tracked as revenue
# where stage = 'won', the amount, on its date).  Each table has rows of
# every client dated 40 to 50 days ago, in a period that is then closed,
# and rows of the last days.  Several psql clients write rows of their own
# (ids of their own range), in transactions of one to three statements,
# each also writing (client, seq) into crash_log: inserts (rows of reps
# that do not exist yet, or never will, among them), updates that move a
# row to another rep or day, in or out of the filter (deals across
# partitions), deletes, and changes of rows of the closed days (late
# changes).  A session holds an uncommitted transaction and two are
# prepared (2PC); during round 1 the rep "late" is created while clients
# write rows of hers.  The postmaster is killed with SIGKILL (round 1: the
# postmaster alone; round 2: every server process at once) and started
# again.  Then:
#
#  - every transaction whose COMMIT the client saw is in crash_log, no failed
#    one is, and at most the one in flight per client is there unseen;
#  - the rows of the tracked tables are exactly what the clients' committed
#    transactions wrote (kept by each client, in Perl); nothing of the open
#    transaction is there;
#  - quota.verify() is empty; the totals of the open days, per tracking,
#    rep, kind and day (qty and rows, summed over slots), equal a recount
#    of the tables done here in SQL; those of the closed days are what they
#    were when the period closed (the changes since are late changes: their
#    sum per rep, kind and day is the recount less the closed figures);
#  - quota.unmatched holds exactly the rows (matching the filters) of the
#    rep that does not exist, and none of "late";
#  - after COMMIT PREPARED and ROLLBACK PREPARED, the same holds.
#
# Knobs: CRASH_CLIENTS (4), CRASH_SECONDS (3 per round), CRASH_ROUNDS (2),
# CRASH_SEED (random; printed), CRASH_TIMEOUT (300).
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use POSIX qw(strftime);
use Time::HiRes qw(time sleep);
use FindBin;
use lib $FindBin::RealBin;
use CrashClients;

my $n_clients = $ENV{CRASH_CLIENTS} // 4;
my $seconds = $ENV{CRASH_SECONDS} // 3;
my $rounds = $ENV{CRASH_ROUNDS} // 2;
my $seed = $ENV{CRASH_SEED} // (time() * 1000) % 1000000007;
srand($seed);
local $SIG{ALRM} = sub { BAIL_OUT('tracked crash recovery test timed out'); };
alarm($ENV{CRASH_TIMEOUT} // 300);
diag("tracked crash recovery: $n_clients clients, $rounds rounds of $seconds s, CRASH_SEED=$seed");

my @reps = (
	[ 'r1', 'UTC' ], [ 'r2', 'Europe/Helsinki' ], [ 'r3', 'America/Los_Angeles' ],
	[ 'r4', 'Asia/Kolkata' ], [ 'r5', 'Pacific/Chatham' ]);
# Rows of "ghost" never count (no such rep); "late" is created in round 1.
my @owners = ((map { $_->[0] } @reps) x 4, 'ghost', 'late');

my $node = PostgreSQL::Test::Cluster->new('tracked_crash');
$node->init;
$node->append_conf('postgresql.conf', <<'CONF');
max_prepared_transactions = 4
max_connections = 30
log_min_messages = warning
timezone = 'UTC'
CONF
$node->start;

my $now0 = int(time());
sub day_of { return strftime('%Y-%m-%d', gmtime(shift)); }
sub sql_text { my $s = shift; return defined $s ? "'$s'" : 'NULL'; }

# ---------------------------------------------------------------------------
# The clients' rows: calls id -> [owner, epoch, direction]; deals id ->
# [rep, day, amount, stage].  Rows of client c have ids c * 1000000 + n;
# n >= 500000 for the rows of the closed days, seeded here.

my @clients;
for my $id (1 .. $n_clients)
{
	my $cl = { id => $id, calls => {}, deals => {}, old_calls => [], old_deals => [],
		next_id => 0, seq => 0, acked => {}, failed => {}, committed => 0, n_failed => 0, sent => 0 };
	for my $k (1 .. 15)
	{
		my $call_id = $id * 1000000 + 500000 + $k;
		$cl->{calls}{$call_id} = [ $reps[ $k % @reps ][0], $now0 - 40 * 86400 - int(rand(10 * 86400)),
			$k % 4 ? 'outbound' : 'inbound' ];
		push @{ $cl->{old_calls} }, $call_id;
		my $deal_id = $id * 1000000 + 500000 + $k;
		$cl->{deals}{$deal_id} = [ $reps[ ($k + $id) % @reps ][0], day_of($now0 - 40 * 86400 - int(rand(10 * 86400))),
			sprintf('%.2f', 10 + int(rand(100000)) / 100), $k % 3 ? 'won' : 'lost' ];
		push @{ $cl->{old_deals} }, $deal_id;
	}
	push @clients, $cl;
}

sub call_values
{
	my ($id, $r) = @_;
	return sprintf("(%d, %s, to_timestamp(%d), '%s')", $id, sql_text($r->[0]), $r->[1], $r->[2]);
}

sub deal_values
{
	my ($id, $r) = @_;
	return sprintf("(%d, %s, '%s', %s, '%s')", $id, sql_text($r->[0]), $r->[1], $r->[2], $r->[3]);
}

# app.deals has monthly partitions from 3 months back to next month.
$node->safe_psql('postgres', 'CREATE DATABASE crash');
$node->safe_psql('crash', join("\n",
	'SET client_min_messages = warning;',
	'CREATE EXTENSION quota_ext CASCADE;',
	'INSERT INTO quota.rep (rep_id, name, time_zone) VALUES '
	  . join(', ', map { "('$_->[0]', 'Rep $_->[0]', '$_->[1]')" } @reps, [ 'rp', 'UTC' ]) . ';',
	'CREATE SCHEMA app;',
	'CREATE TABLE app.calls (id bigint PRIMARY KEY, owner text, started_at timestamptz NOT NULL, direction text NOT NULL);',
	'CREATE TABLE app.deals (id bigint NOT NULL, rep text, closed_on date NOT NULL, amount numeric(12,2) NOT NULL,'
	  . ' stage text NOT NULL, PRIMARY KEY (id, closed_on)) PARTITION BY RANGE (closed_on);',
	q{DO $$BEGIN
		FOR m IN 0 .. 4 LOOP
			EXECUTE format('CREATE TABLE app.deals_m%s PARTITION OF app.deals FOR VALUES FROM (%L) TO (%L)', m,
				(date_trunc('month', current_date) + (m - 3) * interval '1 month')::date,
				(date_trunc('month', current_date) + (m - 2) * interval '1 month')::date);
		END LOOP;
	END$$;},
	'INSERT INTO app.calls VALUES '
	  . join(', ', map { my $cl = $_; map { call_values($_, $cl->{calls}{$_}) } sort keys %{ $cl->{calls} } } @clients) . ';',
	'INSERT INTO app.deals VALUES '
	  . join(', ', map { my $cl = $_; map { deal_values($_, $cl->{deals}{$_}) } sort keys %{ $cl->{deals} } } @clients) . ';',
	q{SELECT quota.track('app.calls', 'call', 'owner', 'started_at', filter => $$direction = 'outbound'$$);},
	q{SELECT quota.track('app.deals', 'revenue', 'rep', 'closed_on', qty => 'amount', filter => $$stage = 'won'$$);},
	# The old rows counted, then their period closed.
	q{SELECT quota.close_period(current_date - 30);},
	'CREATE TABLE crash_log (client int, seq int, PRIMARY KEY (client, seq));'));
my $closed = $node->safe_psql('crash', 'SELECT max(closed_through) FROM quota.period_close');

# The figures of the closed days, which no later change may move.
my $closed_totals_sql = qq{SELECT tracking_id, rep_id, kind, day, sum(qty), sum(rows) FROM quota.daily_total
	WHERE tracking_id <> 0 AND day <= '$closed' GROUP BY 1, 2, 3, 4 HAVING sum(qty) <> 0 OR sum(rows) <> 0 ORDER BY 1, 2, 3, 4};
my $closed_totals = $node->safe_psql('crash', $closed_totals_sql);
# The seeded rows: 15 calls and 15 deals a client, of which those matching
# the filters (k % 4 <> 0: 12 calls; k % 3 <> 0: 10 deals) are counted.
is($node->safe_psql('crash', qq{SELECT string_agg(tracking_id || ':' || rows_counted, ',' ORDER BY tracking_id) FROM quota.sources}),
	'1:' . 12 * $n_clients . ',2:' . 10 * $n_clients, 'the seeded rows of the closed days were counted (12 calls and 10 deals a client)');

# The recount, independent of the extension: per tracking, rep, kind and
# local day, the rows that match the filters and whose rep exists.
my $recount_sql = q{SELECT t.tracking_id, x.rep_id, x.kind, x.day, sum(x.qty) AS qty, count(*) AS rows
	FROM (SELECT 'app.calls' AS source, c.owner AS rep_id, 'call' AS kind,
	             (c.started_at AT TIME ZONE r.time_zone)::date AS day, 1::numeric AS qty
	        FROM app.calls c JOIN quota.rep r ON r.rep_id = c.owner WHERE c.direction = 'outbound'
	      UNION ALL
	      SELECT 'app.deals', d.rep, 'revenue', d.closed_on, d.amount
	        FROM app.deals d JOIN quota.rep r ON r.rep_id = d.rep WHERE d.stage = 'won') x
	JOIN quota.tracking t ON t.source = x.source::regclass};
my $totals_sql = q{SELECT tracking_id, rep_id, kind, day, sum(qty) AS qty, sum(rows) AS rows FROM quota.daily_total
	WHERE tracking_id <> 0};

# ---------------------------------------------------------------------------
# The clients' transactions.

sub random_call
{
	return [ $owners[ int(rand(@owners)) ], $now0 - 60 - int(rand(10 * 86400)), rand() < 0.75 ? 'outbound' : 'inbound' ];
}

sub random_deal
{
	my $cents = int(rand(500000)) - (rand() < 0.1 ? 600000 : 0);
	return [ $owners[ int(rand(@owners)) ], day_of($now0 - 60 - int(rand(10 * 86400))),
		sprintf('%.2f', $cents / 100), rand() < 0.7 ? 'won' : 'lost' ];
}

sub pick_untouched
{
	my ($ids, $touched) = @_;
	my @free = grep { !exists $touched->{$_} } @$ids;
	return @free ? $free[ int(rand(@free)) ] : undef;
}

sub next_transaction
{
	my ($cl, $slow) = @_;
	my (%calls, %deals, @statements);
	for (1 .. 1 + int(rand(3)))
	{
		my $r = rand();
		my @open_calls = grep { $_ % 1000000 < 500000 } keys %{ $cl->{calls} };
		my @open_deals = grep { $_ % 1000000 < 500000 } keys %{ $cl->{deals} };
		if ($r < 0.3 || @open_calls < 10)
		{
			my @values;
			for (1 .. 1 + int(rand(4)))
			{
				my $id = $cl->{id} * 1000000 + ++$cl->{next_id};
				$calls{$id} = random_call();
				push @values, call_values($id, $calls{$id});
			}
			push @statements, 'INSERT INTO app.calls VALUES ' . join(', ', @values);
		}
		elsif ($r < 0.45 || @open_deals < 10)
		{
			my @values;
			for (1 .. 1 + int(rand(2)))
			{
				my $id = $cl->{id} * 1000000 + ++$cl->{next_id};
				$deals{$id} = random_deal();
				push @values, deal_values($id, $deals{$id});
			}
			push @statements, 'INSERT INTO app.deals VALUES ' . join(', ', @values);
		}
		elsif ($r < 0.6)
		{
			# Another rep, moment and direction: in or out of the filter.
			my $id = pick_untouched(\@open_calls, \%calls) // next;
			$calls{$id} = random_call();
			push @statements, sprintf("UPDATE app.calls SET owner = %s, started_at = to_timestamp(%d), direction = '%s' WHERE id = %d",
				sql_text($calls{$id}[0]), $calls{$id}[1], $calls{$id}[2], $id);
		}
		elsif ($r < 0.72)
		{
			# Another rep, day (maybe another partition), amount and stage.
			my $id = pick_untouched(\@open_deals, \%deals) // next;
			$deals{$id} = random_deal();
			push @statements, sprintf("UPDATE app.deals SET rep = %s, closed_on = '%s', amount = %s, stage = '%s' WHERE id = %d",
				sql_text($deals{$id}[0]), @{ $deals{$id} }[ 1 .. 3 ], $id);
		}
		elsif ($r < 0.82)
		{
			my $id = pick_untouched(\@open_calls, \%calls) // next;
			$calls{$id} = undef;
			push @statements, "DELETE FROM app.calls WHERE id = $id";
		}
		elsif ($r < 0.9)
		{
			my $id = pick_untouched(\@open_deals, \%deals) // next;
			$deals{$id} = undef;
			push @statements, "DELETE FROM app.deals WHERE id = $id";
		}
		elsif ($r < 0.95)
		{
			# A call of the closed days changes direction or rep: late changes.
			my $id = pick_untouched([ grep { exists $cl->{calls}{$_} } @{ $cl->{old_calls} } ], \%calls) // next;
			my $row = [ @{ $cl->{calls}{$id} } ];
			if (rand() < 0.5) { $row->[2] = $row->[2] eq 'outbound' ? 'inbound' : 'outbound'; }
			else { $row->[0] = $reps[ int(rand(@reps)) ][0]; }
			$calls{$id} = $row;
			push @statements, sprintf("UPDATE app.calls SET owner = '%s', direction = '%s' WHERE id = %d", $row->[0], $row->[2], $id);
		}
		else
		{
			# A deal of the closed days corrected or deleted: late changes.
			my $id = pick_untouched([ grep { exists $cl->{deals}{$_} } @{ $cl->{old_deals} } ], \%deals) // next;
			if (rand() < 0.5)
			{
				$deals{$id} = undef;
				push @statements, "DELETE FROM app.deals WHERE id = $id";
			}
			else
			{
				my $row = [ @{ $cl->{deals}{$id} } ];
				$row->[2] = sprintf('%.2f', $row->[2] + 1);
				$deals{$id} = $row;
				push @statements, "UPDATE app.deals SET amount = amount + 1 WHERE id = $id";
			}
		}
	}
	my $seq = ++$cl->{seq};
	push @statements, "INSERT INTO crash_log VALUES ($cl->{id}, $seq)";
	push @statements, 'SELECT pg_sleep(1)' if $slow;
	my $sql = join(' \; ', 'BEGIN', @statements, 'COMMIT') . ";\n"
	  . "\\echo 'TX $cl->{id} $seq' :ERROR\n\\if :ERROR\nROLLBACK;\n\\endif\n";
	return { seq => $seq, sql => $sql, calls => \%calls, deals => \%deals };
}

sub apply_changes
{
	my ($cl, $tx) = @_;
	for my $table ('calls', 'deals')
	{
		while (my ($id, $row) = each %{ $tx->{$table} })
		{
			if (defined $row) { $cl->{$table}{$id} = $row; }
			else { delete $cl->{$table}{$id}; }
		}
	}
}

clients_configured(
	connstr => sub { $node->connstr('crash') },
	next_transaction => \&next_transaction,
	apply_changes => \&apply_changes);

# The rows of the prepared transaction that is committed after the crashes:
# a pseudo-client 0 whose rows join the expected ones then.
my %prepared_rows = (calls => {}, deals => {});

sub compare_rows
{
	my ($phase, $table, $sql, $expected) = @_;
	my %have;
	for (split /\n/, $node->safe_psql('crash', $sql))
	{
		my ($id, @rest) = split /\|/, $_, -1;
		$have{$id} = join('|', @rest);
	}
	my (@missing, @extra, @wrong);
	for my $id (keys %$expected)
	{
		if (!exists $have{$id}) { push @missing, $id; }
		elsif ($have{$id} ne $expected->{$id}) { push @wrong, "$id: $have{$id} (expected $expected->{$id})"; }
	}
	for my $id (keys %have) { push @extra, $id unless exists $expected->{$id}; }
	is(scalar(@missing) + scalar(@extra) + scalar(@wrong), 0,
		"$phase: $table holds exactly the committed rows (" . scalar(keys %$expected) . ')')
	  or diag("$table: missing " . join(', ', (sort @missing)[ 0 .. ($#missing < 4 ? $#missing : 4) ])
		  . '; extra ' . join(', ', (sort @extra)[ 0 .. ($#extra < 4 ? $#extra : 4) ])
		  . '; wrong ' . join('; ', (sort @wrong)[ 0 .. ($#wrong < 4 ? $#wrong : 4) ]));
}

sub check_state
{
	my ($phase, %expect) = @_;

	my %logged;
	for (split /\n/, $node->safe_psql('crash', 'SELECT client, seq FROM crash_log'))
	{
		my ($c, $s) = split /\|/;
		$logged{$c}{$s} = 1;
	}
	my ($lost, $phantom, $inflight_committed, $inflight_lost) = (0, 0, 0, 0);
	for my $cl (@clients)
	{
		my $log = $logged{ $cl->{id} } // {};
		for my $s (keys %{ $cl->{acked} }) { $lost++ unless $log->{$s}; }
		for my $s (keys %{ $cl->{failed} }) { $phantom++ if $log->{$s}; }
		my $inflight = $cl->{inflight};
		for my $s (keys %$log)
		{
			$phantom++ unless $cl->{acked}{$s} || ($inflight && $inflight->{seq} == $s);
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
	is($phantom, 0, "$phase: no transaction that failed or was never sent is in crash_log");
	diag("$phase: transactions in flight at the crash: $inflight_committed committed, $inflight_lost not")
	  if $inflight_committed + $inflight_lost;

	my (%calls, %deals);
	for my $cl (@clients, { calls => $expect{prepared_committed} ? $prepared_rows{calls} : {},
			deals => $expect{prepared_committed} ? $prepared_rows{deals} : {} })
	{
		while (my ($id, $r) = each %{ $cl->{calls} }) { $calls{$id} = join('|', map { $_ // '' } @$r); }
		while (my ($id, $r) = each %{ $cl->{deals} }) { $deals{$id} = join('|', map { $_ // '' } @$r); }
	}
	compare_rows($phase, 'app.calls',
		'SELECT id, owner, extract(epoch FROM started_at)::bigint, direction FROM app.calls', \%calls);
	compare_rows($phase, 'app.deals', 'SELECT id, rep, closed_on, amount, stage FROM app.deals', \%deals);

	my $verify = $node->safe_psql('crash', 'SELECT count(*) FROM quota.verify()');
	is($verify, '0', "$phase: quota.verify() is empty")
	  or diag($node->safe_psql('crash', 'SELECT * FROM quota.verify() LIMIT 10'));
	my $open_totals = $node->safe_psql('crash', "$totals_sql AND day > '$closed' GROUP BY 1, 2, 3, 4 HAVING sum(qty) <> 0 OR sum(rows) <> 0 ORDER BY 1, 2, 3, 4");
	my $open_recount = $node->safe_psql('crash', "$recount_sql WHERE x.day > '$closed' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4");
	is($open_totals, $open_recount, "$phase: totals of the open days = recount of the tables (qty and rows per tracking, rep, kind and day; "
		  . scalar(split /\n/, $open_totals) . ' totals)');
	is($node->safe_psql('crash', $closed_totals_sql), $closed_totals, "$phase: totals of the closed days are those of the close");
	# Late changes = what the closed days' rows are now less what was closed.
	is($node->safe_psql('crash', qq{
		WITH closed AS ($totals_sql AND day <= '$closed' GROUP BY 1, 2, 3, 4),
		     now AS ($recount_sql WHERE x.day <= '$closed' GROUP BY 1, 2, 3, 4),
		     late AS (SELECT tracking_id, rep_id, kind, day, sum(qty_change) AS qty, sum(rows_change) AS rows
		                FROM quota.late_change GROUP BY 1, 2, 3, 4)
		SELECT count(*) FROM now n FULL JOIN closed c USING (tracking_id, rep_id, kind, day)
		  FULL JOIN late l USING (tracking_id, rep_id, kind, day)
		 WHERE coalesce(n.qty, 0) - coalesce(c.qty, 0) <> coalesce(l.qty, 0)
		    OR coalesce(n.rows, 0) - coalesce(c.rows, 0) <> coalesce(l.rows, 0)}),
		'0', "$phase: late changes = rows of the closed days now less the closed figures");
	# (per tracking: the key, rep and reason of each row waiting)
	is($node->safe_psql('crash', q{SELECT tracking_id, row_key, rep_id, reason FROM quota.unmatched ORDER BY 1, 2}),
		$node->safe_psql('crash', q{SELECT 1, id::text, owner, 'unknown rep' FROM app.calls WHERE owner = 'ghost' AND direction = 'outbound'
		                            UNION ALL
		                            SELECT 2, '(' || id || ',' || closed_on || ')', rep, 'unknown rep' FROM app.deals WHERE rep = 'ghost' AND stage = 'won'
		                            ORDER BY 1, 2}),
		"$phase: quota.unmatched holds exactly the rows of ghost that match the filters, none of late");
	is($node->safe_psql('crash', "SELECT (SELECT count(*) FROM app.calls WHERE id BETWEEN 8000000 AND 8999999)
	                                   + (SELECT count(*) FROM app.deals WHERE id BETWEEN 8000000 AND 8999999)"), '0',
		"$phase: nothing of the open transaction is there");
	if (defined $expect{prepared})
	{
		is($node->safe_psql('crash', "SELECT string_agg(gid, ',' ORDER BY gid) FROM pg_prepared_xacts WHERE database = 'crash'"),
			$expect{prepared}, "$phase: prepared transactions pending: " . ($expect{prepared} || 'none'));
	}
}

# ---------------------------------------------------------------------------
for my $round (1 .. $rounds)
{
	my $full = $round % 2 == 0;
	client_start($_) for @clients;
	my $start = time();
	my $half_done = 0;
	my ($open, $open_in, $open_out, $open_err) = (undef, '', '', '');
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
			$open_in = "SET client_min_messages = error;\nBEGIN;\n"
			  . "INSERT INTO app.calls SELECT 8000000 + $round * 1000 + i, 'r1', now() - i * interval '1 minute', 'outbound' FROM generate_series(1, 20) AS i;\n"
			  . "INSERT INTO app.deals SELECT 8000000 + $round * 1000 + i, 'r2', current_date - 1, 100, 'won' FROM generate_series(1, 5) AS i;\n"
			  . "\\echo OPEN\n";
			$open = IPC::Run::start([ 'psql', '-XAtq', '-d', $node->connstr('crash'), '-f', '-' ],
				'<', \$open_in, '>', \$open_out, '2>', \$open_err);
			if ($round == 1)
			{
				# Late is created while clients write rows of hers.
				$node->safe_psql('crash', q{INSERT INTO quota.rep (rep_id, name, time_zone) VALUES ('late', 'Late', 'Pacific/Chatham')});
				# Two prepared transactions (rep rp, on days of their own).
				for my $p ([ 'prepared-commit', 9000000, 2 ], [ 'prepared-abort', 9100000, 3 ])
				{
					my ($gid, $base, $days) = @$p;
					my $epoch = $now0 - $days * 86400;
					for my $i (1 .. 5)
					{
						$prepared_rows{calls}{ $base + $i } = [ 'rp', $epoch + $i, 'outbound' ] if $gid eq 'prepared-commit';
						$prepared_rows{deals}{ $base + $i } = [ 'rp', day_of($epoch), '10.50', 'won' ] if $gid eq 'prepared-commit';
					}
					$node->safe_psql('crash', "BEGIN;
						SET LOCAL lock_timeout = '20s';
						INSERT INTO app.calls SELECT $base + i, 'rp', to_timestamp($epoch + i), 'outbound' FROM generate_series(1, 5) AS i;
						INSERT INTO app.deals SELECT $base + i, 'rp', '" . day_of($epoch) . "', 10.50, 'won' FROM generate_series(1, 5) AS i;
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
	# Every client has a transaction in flight; half of them sleep before COMMIT.
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
	for my $cl (@clients)
	{
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
	diag("round $round: $sent transactions sent so far");
	check_state("round $round after restart", prepared => 'prepared-abort,prepared-commit');
}

$node->safe_psql('crash', "COMMIT PREPARED 'prepared-commit'");
$node->safe_psql('crash', "ROLLBACK PREPARED 'prepared-abort'");
check_state('after COMMIT PREPARED and ROLLBACK PREPARED', prepared => '', prepared_committed => 1);
is($node->safe_psql('crash', q{SELECT count(*) FROM app.calls WHERE id BETWEEN 9100000 AND 9199999}), '0',
	'the rows of the transaction rolled back are not there');

my ($committed, $failed) = (0, 0);
for my $cl (@clients) { $committed += scalar(keys %{ $cl->{acked} }); $failed += $cl->{n_failed}; }
diag("committed transactions: $committed ($failed failed); "
	  . $node->safe_psql('crash', q{SELECT (SELECT count(*) FROM app.calls) || ' calls, ' || (SELECT count(*) FROM app.deals)
		|| ' deals, ' || (SELECT count(*) FROM quota.late_change) || ' late changes, ' || (SELECT count(*) FROM quota.unmatched)
		|| ' unmatched, ' || (SELECT count(DISTINCT slot) FROM quota.daily_total) || ' slots'}));

$node->stop;
done_testing();
