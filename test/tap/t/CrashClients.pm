# CrashClients: what the crash tests of test/tap/t share.  Clients are psql
# processes fed one transaction at a time (the test's next_transaction
# writes its SQL, which prints "TX <client> <seq> <failed>" at the end);
# a transaction counts once its answer says it committed (the test's
# apply_changes notes its rows).  Also the server processes of a
# postmaster and waiting for them to end after a SIGKILL.
package CrashClients;

use strict;
use warnings;

use Exporter 'import';
use IPC::Run;
use Test::More;
use Time::HiRes qw(time sleep);

our @EXPORT = qw(clients_configured client_start client_pump client_send server_pids wait_gone);

# The test's connection string and its two callbacks.
my %test;

# Takes connstr (a sub returning the libpq string), next_transaction and apply_changes.
sub clients_configured
{
	%test = @_;
}

# Starts a client's psql.
sub client_start
{
	my ($cl) = @_;
	$cl->{in} = "SET client_min_messages = error;\n";
	$cl->{out} = '';
	$cl->{err} = '';
	$cl->{inflight} = undef;
	$cl->{h} = IPC::Run::start(
		[ 'psql', '-XAtq', '-d', $test{connstr}->(), '-f', '-' ],
		'<', \$cl->{in}, '>', \$cl->{out}, '2>', \$cl->{err});
}

# Reads what the client's psql printed; returns false once psql has ended.
sub client_pump
{
	my ($cl) = @_;
	my $alive = eval { $cl->{h}->pump_nb; 1 } && $cl->{h}->pumpable;
	while ($cl->{out} =~ s/^([^\n]*)\n//)
	{
		my $line = $1;
		if ($line =~ /^TX (\d+) (\d+) (true|false)$/)
		{
			my $tx = $cl->{inflight};
			die "client $cl->{id}: answer to $2 while $tx->{seq} is in flight" unless $tx && $tx->{seq} == $2;
			if ($3 eq 'false')
			{
				$test{apply_changes}->($cl, $tx);
				$cl->{acked}{ $tx->{seq} } = 1;
				$cl->{committed}++;
			}
			else
			{
				$cl->{failed}{ $tx->{seq} } = 1;
				$cl->{n_failed}++;
				note("client $cl->{id} transaction $tx->{seq} failed: $cl->{err}");
			}
			$cl->{err} = '';
			$cl->{inflight} = undef;
		}
		elsif ($line ne '')
		{
			note("client $cl->{id}: $line");
		}
	}
	return $alive;
}

# Sends the client's next transaction ($slow: one that holds its locks a while).
sub client_send
{
	my ($cl, $slow) = @_;
	my $tx = $test{next_transaction}->($cl, $slow);
	$cl->{txs}{ $tx->{seq} } = $tx;
	$cl->{inflight} = $tx;
	$cl->{in} .= $tx->{sql};
	$cl->{sent}++;
	$cl->{statements} += $tx->{statements} // 0;
}

# Server processes: the postmaster's children, from /proc.
sub server_pids
{
	my ($postmaster) = @_;
	my @pids = ($postmaster);
	opendir(my $proc, '/proc') or die "no /proc: $!";
	for my $pid (grep { /^\d+$/ } readdir($proc))
	{
		open(my $stat, '<', "/proc/$pid/stat") or next;
		my $line = <$stat>;
		close $stat;
		push @pids, $pid if $line && $line =~ /^\d+ \(.*\) \S (\d+) / && $1 == $postmaster;
	}
	closedir($proc);
	return @pids;
}

# Waits up to a minute for the processes to end; returns whether they did.
sub wait_gone
{
	my @pids = @_;
	my $deadline = time() + 60;
	while (time() < $deadline)
	{
		@pids = grep { kill(0, $_) } @pids;
		return 1 unless @pids;
		sleep(0.05);
	}
	return 0;
}

1;
