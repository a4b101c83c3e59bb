#!/usr/bin/perl
# ratios.pl - reads the hyperfine JSON exports of bench.sh and prints, per workload, each
# command's mean time and its ratio to the bare program, then checks the targets (ratio to bare
# at most the limit; on fork_exit and fork_exec forklab also faster than both strace modes).
# Usage: ratios.pl DIR WORKLOAD...   Exit status: 0 when every measured target is met, 1 if not.
use strict;
use warnings;
use JSON::PP;

my ($dir, @workloads) = @ARGV;
my %limit = (fork_exit => 1.8, fork_exec => 1.4, syscalls => 1.1, grade => 1.3);
my %label = (
	fork_exit => '(a) 2,000 fork+_exit+wait',
	fork_exec => '(b) 500 fork+exec+wait',
	syscalls  => '(c) 200,000 getppid',
	grade     => 'grade --labs solutions',
);
my (@missed, @unchecked);

sub read_json {
	my ($f) = @_;
	open my $fh, '<', $f or die "ratios: $f: $!\n";
	my $json = decode_json(do { local $/; <$fh> });
	close $fh;
	return $json;
}
my (%median, %cpu);  # per workload: robust views for a noisy machine

printf "%-27s %10s %18s %18s %18s %18s  %s\n", 'workload', 'bare ms', 'forklab', 'strace -f',
	'strace seccomp', 'strace %process', 'target';
for my $w (@workloads) {
	my $file = "$dir/$w.json";
	if (!-f $file) {
		if (-f "$dir/$w-traced.json") {
			my $j = read_json("$dir/$w-traced.json");
			printf "%-27s %10s %18s %18s %18s %18s  %s\n", $label{$w}, '-',
				sprintf('%8.1f        ', $j->{results}[0]{mean} * 1000), '-', '-', '-',
				'not checked: no untraced run';
			push @unchecked, $w;
		}
		next;
	}
	my %mean;
	for my $f ($file, "$dir/$w-strace.json") {
		next unless -f $f;
		my $json = read_json($f);
		for my $res (@{ $json->{results} }) {
			$mean{ $res->{command} } = $res->{mean} * 1000;
			$median{$w}{ $res->{command} } = $res->{median} * 1000;
			$cpu{$w}{ $res->{command} } = ($res->{user} + $res->{system}) * 1000;
		}
	}
	my $bare = $mean{bare} or die "ratios: $file has no bare run\n";
	my $cell = sub {
		my $m = $mean{ $_[0] };
		return defined $m ? sprintf('%8.1f (%5.2fx)', $m, $m / $bare) : '-';
	};
	my $ratio = $mean{forklab} / $bare;
	my @why;
	push @why, sprintf('ratio %.2f > %.1f', $ratio, $limit{$w}) if $ratio > $limit{$w};
	if ($w eq 'fork_exit' || $w eq 'fork_exec') {
		for my $s ('strace', 'strace-seccomp') {
			push @why, "slower than $s" if defined $mean{$s} && $mean{forklab} >= $mean{$s};
		}
	}
	my $verdict = @why ? 'MISSED: ' . join(', ', @why) : sprintf('met (<= %.1fx)', $limit{$w});
	push @missed, "$w: @why" if @why;
	printf "%-27s %10.1f %18s %18s %18s %18s  %s\n", $label{$w}, $bare, $cell->('forklab'),
		$cell->('strace'), $cell->('strace-seccomp'), $cell->('strace-process'), $verdict;
}
# The verdicts use means, as the targets do; on a shared machine the median and the CPU time
# (user + system of forklab and the program) show whether a miss is noise.
print "\nratios to bare by median wall time, and by CPU time (user+system, program and tracer):\n";
printf "  %-27s %14s %14s %14s %15s\n", '', 'forklab', 'strace -f', 'strace seccomp',
	'strace %process';
for my $w (@workloads) {
	next unless $median{$w} && $median{$w}{bare};
	my $fmt = sub {
		my $c = $_[0];
		return '-' unless defined $median{$w}{$c} && $cpu{$w}{bare} > 0;
		return sprintf('%5.2f / %5.2f', $median{$w}{$c} / $median{$w}{bare},
			       $cpu{$w}{$c} / $cpu{$w}{bare});
	};
	printf "  %-27s %14s %14s %14s %15s\n", $label{$w}, $fmt->('forklab'), $fmt->('strace'),
		$fmt->('strace-seccomp'), $fmt->('strace-process');
}
print "\n", @missed ? "bench: targets missed: " . join('; ', @missed) . "\n"
                    : "bench: every measured target met\n";
print "bench: not measured: @unchecked\n" if @unchecked;
exit(@missed ? 1 : 0);
