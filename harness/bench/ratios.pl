#!/usr/bin/perl
# ratios.pl - reads the hyperfine JSON exports of bench.sh (a workload's rounds, WORKLOAD.rN.json,
# pooled; or a single WORKLOAD.json) and prints, per workload, each command's mean time and its
# ratio to the bare program, then checks the targets (ratio to bare at most the limit; on
# fork_exit and fork_exec forklab also faster than both strace modes; writes has no target, it
# gives the cost of one captured write). A second table gives the
# ratios by median wall time and by CPU time, which a busy machine disturbs less.
# Usage: ratios.pl DIR WORKLOAD...   Exit status: 0 when every measured target is met, 1 if not.
use strict;
use warnings;
use JSON::PP;

my ($dir, @workloads) = @ARGV;
my %limit = (fork_exit => 1.8, fork_exec => 1.4, syscalls => 1.1, null_writes => 1.5, dd => 1.5,
	     grade => 1.3);
# Targets against the seccomp filter alone (filter_only) rather than bare.
my %filter_limit = (null_writes => 1.1);
my %label = (
	fork_exit => '(a) 2,000 fork+_exit+wait',
	fork_exec => '(b) 500 fork+exec+wait',
	syscalls  => '(c) 200,000 getppid',
	null_writes => "(c') getppid+write /dev/null",
	dd        => '(e) dd bs=1 to /dev/null',
	writes    => '(d) 20,000 writes to stdout',
	grade     => 'grade --labs solutions',
);
my @columns = ('forklab', 'strace', 'strace-seccomp', 'strace-process');
my @heads = ('forklab', 'strace -f', 'strace seccomp', 'strace %process');
my (@missed, @unchecked);

sub read_json {
	my ($f) = @_;
	open my $fh, '<', $f or die "ratios: $f: $!\n";
	my $json = decode_json(do { local $/; <$fh> });
	close $fh;
	return $json;
}

sub median {
	my @v = sort { $a <=> $b } @_;
	return @v % 2 ? $v[$#v / 2] : ($v[@v / 2 - 1] + $v[@v / 2]) / 2;
}

# Pools the runs of every file of a workload: command => {mean, median, cpu} in ms.
sub pooled {
	my ($w) = @_;
	my @files = sort glob("$dir/$w.r*.json");
	@files = ("$dir/$w.json") if !@files && -f "$dir/$w.json";
	return undef unless @files;
	push @files, "$dir/$w-strace.json" if -f "$dir/$w-strace.json";
	my (%times, %cpu);
	for my $f (@files) {
		for my $res (@{ read_json($f)->{results} }) {
			my $n = @{ $res->{times} };
			push @{ $times{ $res->{command} } }, @{ $res->{times} };
			$cpu{ $res->{command} } += ($res->{user} + $res->{system}) * $n;
		}
	}
	my %out;
	for my $c (keys %times) {
		my @t = @{ $times{$c} };
		my $sum = 0;
		$sum += $_ for @t;
		$out{$c} = { mean => $sum / @t * 1000, median => median(@t) * 1000,
			     cpu => $cpu{$c} / @t * 1000, runs => scalar @t };
	}
	return \%out;
}

printf "%-27s %10s" . (" %18s" x @heads) . "  %s\n", 'workload', 'bare ms', @heads, 'target';
my %seen;
for my $w (@workloads) {
	my $m = pooled($w);
	if (!$m) {
		if (-f "$dir/$w-traced.json") {
			my $j = read_json("$dir/$w-traced.json");
			printf "%-27s %10s %18s" . (" %18s" x (@heads - 1)) . "  %s\n", $label{$w}, '-',
				sprintf('%8.1f        ', $j->{results}[0]{mean} * 1000),
				('-') x (@heads - 1), 'not checked: no untraced run';
			push @unchecked, $w;
		}
		next;
	}
	my $bare = $m->{bare} or die "ratios: $w has no bare run\n";
	$seen{$w} = $m;
	my $cell = sub {
		my $r = $m->{ $_[0] };
		return '-' unless $r;
		return sprintf('%8.1f (%5.2fx)', $r->{mean}, $r->{mean} / $bare->{mean});
	};
	my $ratio = $m->{forklab}{mean} / $bare->{mean};
	my @why;
	if (!defined $limit{$w}) {
		# No target: the cost of one captured write, for the record.
		printf "%-27s %10.1f" . (" %18s" x @columns) . "  %s\n", $label{$w}, $bare->{mean},
			(map { $cell->($_) } @columns), sprintf('no target (%.1f us a write)',
			($m->{forklab}{mean} - $bare->{mean}) * 1000 / 20000);
		next;
	}
	push @why, sprintf('ratio %.2f > %.1f', $ratio, $limit{$w}) if $ratio > $limit{$w};
	if ($w eq 'fork_exit' || $w eq 'fork_exec') {
		for my $s ('strace', 'strace-seccomp') {
			push @why, "slower than $s" if $m->{$s} && $m->{forklab}{mean} >= $m->{$s}{mean};
		}
	}
	# The floor under (c): a seccomp filter that allows everything, and no tracer.
	$why[-1] .= sprintf(' (a seccomp filter alone, no tracer: %.2fx)',
			    $m->{'filter-only'}{mean} / $bare->{mean}) if @why && $m->{'filter-only'};
	my $met = sprintf('met (<= %.1fx)', $limit{$w});
	if ($filter_limit{$w} && $m->{'filter-only'}) {
		my $f = $m->{forklab}{mean} / $m->{'filter-only'}{mean};
		push @why, sprintf('%.2fx the filter alone > %.1f', $f, $filter_limit{$w})
			if $f > $filter_limit{$w};
		$met .= sprintf(', %.2fx the filter alone (<= %.1f)', $f, $filter_limit{$w});
		# The floor for any filter that decides by descriptor: the same filter with one
		# check of write's descriptor, still no tracer.
		my $note = $m->{'filter-write'} ? sprintf(' (one check of write\'s descriptor alone: %.2fx)',
			$m->{'filter-write'}{mean} / $m->{'filter-only'}{mean}) : '';
		$why[-1] .= $note if @why && $why[-1] =~ /filter alone/;
		$met .= $note;
	}
	my $verdict = @why ? 'MISSED: ' . join(', ', @why) : $met;
	push @missed, "$w: " . join(', ', @why) if @why;
	printf "%-27s %10.1f" . (" %18s" x @columns) . "  %s\n", $label{$w}, $bare->{mean},
		(map { $cell->($_) } @columns), $verdict;
}

# The verdicts use means, as the targets do; the median and the CPU time (user + system of the
# program and its tracer) show whether a miss is noise.
print "\nratios to bare by median wall time / by CPU time (user+system, program and tracer):\n";
printf "  %-27s" . (" %15s" x @heads) . "\n", '', @heads;
for my $w (grep { $seen{$_} } @workloads) {
	my $m = $seen{$w};
	my $fmt = sub {
		my $r = $m->{ $_[0] };
		return '-' unless $r && $m->{bare}{cpu} > 0;
		return sprintf('%5.2f / %5.2f', $r->{median} / $m->{bare}{median},
			       $r->{cpu} / $m->{bare}{cpu});
	};
	printf "  %-27s" . (" %15s" x @columns) . "\n", $label{$w}, map { $fmt->($_) } @columns;
}
print "\n", @missed ? "bench: targets missed: " . join('; ', @missed) . "\n"
                    : "bench: every measured target met\n";
print "bench: not measured: @unchecked\n" if @unchecked;
exit(@missed ? 1 : 0);
