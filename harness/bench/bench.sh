#!/bin/sh
# bench.sh - `make bench`: what tracing costs. For each workload, hyperfine times in one run the
# bare program, `forklab run --`, `strace -f` and `strace -f --seccomp-bpf`; then the grading of
# every lab of solutions/ is timed against running the same scenarios untraced. Prints the
# ratios to bare and whether each target of docs/performance.md is met; exits 1 if one is not.
# The batch workload grades a class (BENCH_STUDENTS copies of solutions/, default 40) with
# forklab grade --batch, one at a time and then -j 2; its target: -j 2 takes at most 0.6 of the
# time one at a time does. BENCH_BATCH_LABS: the labs each student is graded on (default all).
# Usage: bench.sh BUILD_DIR [WORKLOAD...]
#   (workloads: fork_exit fork_exec syscalls null_writes dd writes grade batch scale; default:
#   all but scale,
#   which takes minutes: `make bench BENCH_WORKLOADS=scale` runs it)
# Environment: BENCH_RUNS (timed runs per command, default 15), BENCH_ROUNDS (they are spread
# over this many rounds, default 3), BENCH_WARMUP (per round, default 3), BENCH_OUT (default: a
# new directory under /tmp, kept, where the JSON and markdown exports go).
set -eu

B=${1:-build}
[ $# -gt 0 ] && shift
WORKLOADS=${*:-${BENCH_WORKLOADS:-fork_exit fork_exec syscalls null_writes dd writes grade batch}}
RUNS=${BENCH_RUNS:-15}
WARMUP=${BENCH_WARMUP:-3}
ROUNDS=${BENCH_ROUNDS:-3}

for tool in hyperfine strace perl; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is missing (make deps-bench installs it)" >&2
		exit 2
	fi
done
if [ ! -x "$B/forklab" ]; then
	echo "bench: $B/forklab is not built (run make first)" >&2
	exit 2
fi
B=$(cd "$B" && pwd)
OUT=${BENCH_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/forklab-bench.XXXXXX")}
mkdir -p "$OUT"
here=$(cd "$(dirname "$0")" && pwd)

echo "bench: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r), runs=$RUNS in $ROUNDS rounds, warmup=$WARMUP"
echo "bench: exports in $OUT"

# One workload: the same program several ways, in one hyperfine call (so they share the
# machine's state), exported as JSON for the table and as markdown for a reader. The runs are
# split into BENCH_ROUNDS rounds of hyperfine calls, one after the other, so that a change in the
# machine's load (it is often shared) reaches every command alike rather than only the one being
# timed at that moment; ratios.pl pools the rounds.
# strace ignores --seccomp-bpf when no -e trace= filter is given (it says so), so a fifth command
# gives strace a filter close to forklab's (%process: fork, clone, exec, wait, exit, kill) for a
# fair view; the targets compare against the two unfiltered modes. Under strace every one
# of the 200,000 calls of `syscalls` costs a stop (several seconds a run), so there the two
# unfiltered strace modes run once, in a hyperfine call of 3 runs (syscalls-strace.*), and a
# sixth command runs it under a seccomp filter that allows everything, with no tracer
# (filter_only): the floor for any tracer that uses seccomp.
# (c') null_writes and (e) dd (`dd if=/dev/zero of=/dev/null bs=1 count=100000`, whose output
# is descriptor 1 made /dev/null) are timed the same way as syscalls, plus under
# `filter_only --write-check` (the allow-all filter with one rule on write's descriptor, no
# tracer): the floor for a filter that decides by descriptor.
bench_workload() {
	prog="'$B/bench/$1'"
	for p in "$B/bench/$1" "$B/bench/filter_only"; do
		if [ "$1" != dd ] && [ ! -x "$p" ]; then
			echo "bench: $p is not built (make bench builds it)" >&2
			exit 2
		fi
	done
	if [ "$1" = dd ]; then
		dd=$(command -v dd) || { echo "bench: dd is missing" >&2; exit 2; }
		prog="'$dd' if=/dev/zero of=/dev/null bs=1 count=100000 status=none"
	fi
	per=$(( (RUNS + ROUNDS - 1) / ROUNDS ))
	rounds=$ROUNDS
	many_calls=""
	# Twice the runs, in twice as many rounds: these runs are short and their ratios small, so
	# a change in the machine's load within one round would weigh on one command alone.
	case $1 in syscalls | null_writes | dd) many_calls=1; rounds=$((ROUNDS * 2)) ;; esac
	for r in $(seq 1 "$rounds"); do
		echo
		echo "== $1, round $r of $rounds"
		if [ -n "$many_calls" ]; then
			# (c') and (e) write: also under the filter that checks write's descriptor.
			w=$1
			set --
			case $w in null_writes | dd)
				set -- -n filter-write "'$B/bench/filter_only' --write-check $prog" ;;
			esac
			hyperfine -N --warmup "$WARMUP" --runs "$per" \
				--export-json "$OUT/$w.r$r.json" --export-markdown "$OUT/$w.r$r.md" \
				-n bare "$prog" \
				-n forklab "'$B/forklab' run -- $prog" \
				-n filter-only "'$B/bench/filter_only' $prog" \
				-n strace-process "strace -f --seccomp-bpf -e trace=%process -o /dev/null $prog" \
				"$@"
			set -- "$w"
		else
			hyperfine -N --warmup "$WARMUP" --runs "$per" \
				--export-json "$OUT/$1.r$r.json" --export-markdown "$OUT/$1.r$r.md" \
				-n bare "$prog" \
				-n forklab "'$B/forklab' run -- $prog" \
				-n strace "strace -f -o /dev/null $prog" \
				-n strace-seccomp "strace -f --seccomp-bpf -o /dev/null $prog" \
				-n strace-process "strace -f --seccomp-bpf -e trace=%process -o /dev/null $prog"
		fi
	done
	if [ -n "$many_calls" ]; then
		echo
		echo "== $1, strace without a filter"
		hyperfine -N --runs 3 \
			--export-json "$OUT/$1-strace.json" --export-markdown "$OUT/$1-strace.md" \
			-n strace "strace -f -o /dev/null $prog" \
			-n strace-seccomp "strace -f --seccomp-bpf -o /dev/null $prog"
	fi
}

# Grading: `forklab grade --labs solutions` against the same scenarios run without the tracer
# (`forklab grade --untraced`, a hidden option of the grader). Both run in a work directory of
# their own (a copy of solutions/: the grader refuses a symbolic link as --labs), so that the
# labs are built there and not in the project's build/ (each run compiles every lab, as forklab
# grade always does); one untimed run first checks that the solutions pass. Without --untraced, only the traced grading is timed.
bench_grade() {
	echo
	echo "== grade"
	root=$(cd "$here/../.." && pwd)
	work="$OUT/grade-work"
	rm -rf "$work"
	mkdir -p "$work"
	cp -R "$root/solutions" "$work/solutions"
	if ! (cd "$work" && "$B/forklab" grade --labs solutions >"$OUT/grade-first.txt" 2>&1); then
		echo "bench: grading solutions/ failed, see $OUT/grade-first.txt" >&2
		return 1
	fi
	if "$B/forklab" grade --untraced --help >/dev/null 2>&1; then
		# untraced, the checks have no record to read and fail: exit status 1 is expected
		# there (-i); the traced grading was checked to pass above.
		(cd "$work" && hyperfine -N -i --warmup 1 --runs "${BENCH_GRADE_RUNS:-5}" \
			--export-json "$OUT/grade.json" --export-markdown "$OUT/grade.md" \
			-n bare "'$B/forklab' grade --untraced --labs solutions" \
			-n forklab "'$B/forklab' grade --labs solutions")
	else
		echo "bench: forklab grade has no --untraced mode: timing the traced grading only" >&2
		(cd "$work" && hyperfine -N --warmup 1 --runs "${BENCH_GRADE_RUNS:-5}" \
			--export-json "$OUT/grade-traced.json" \
			-n forklab "'$B/forklab' grade --labs solutions")
	fi
}

# Scale: forklab's own time and peak memory (measure: wall clock, ru_maxrss) tracing 100 to
# 10,000 processes, one after another (fork_exit N) and 200 alive at once (wide N 200); then the
# fork bomb, as the user running the bench and (when root) as an unprivileged uid: the time from
# its start to a clean end, and the most processes alive at once; then how far past its timeout
# each hostile program of the test suite that must be stopped takes forklab to end.
bench_scale() {
	echo
	echo "== scale: forklab's time and peak memory (one run each)"
	printf '%-22s %8s %10s %10s\n' workload processes seconds peak_kib
	for n in 100 1000 10000; do
		for w in "fork_exit $n" "wide $n 200"; do
			# shellcheck disable=SC2086
			line=$("$B/bench/measure" "$B/forklab" run --timeout 600 --max-procs 1000 \
				--output /dev/null -- "$B/bench/"$w)
			printf '%-22s %8s %10s %10s\n' "$w" "$n" \
				"$(echo "$line" | sed 's/.*seconds=\([^ ]*\).*/\1/')" \
				"$(echo "$line" | sed 's/.*peak_kib=\([^ ]*\).*/\1/')"
		done
	done
	echo
	echo "== scale: the fork bomb (--max-procs 64, --timeout 10)"
	bomb="$B/progs/bad_forkbomb"
	if [ ! -x "$bomb" ]; then
		echo "bench: $bomb is not built (make test builds it): skipped"
	else
		as_user() {
			"$B/bench/measure" "$@" "$B/forklab" run --format json --max-procs 64 --timeout 10 \
				--output "$OUT/bomb.json" -- "$bomb" >"$OUT/bomb.txt"
			printf '%-14s %s, max_alive %s, outcome %s\n' "$who" "$(cut -d' ' -f1 "$OUT/bomb.txt")" \
				"$(perl -MJSON::PP -0ne 'print decode_json($_)->{max_alive}' "$OUT/bomb.json")" \
				"$(perl -MJSON::PP -0ne 'print decode_json($_)->{outcome}' "$OUT/bomb.json")"
		}
		who="as $(id -un)"
		as_user
		if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
			who="unprivileged"
			chmod 0777 "$OUT"
			as_user setpriv --reuid=60999 --regid=60999 --clear-groups
		fi
	fi
	echo
	echo "== scale: past the timeout (--timeout 1): how long each must-stop program takes"
	for prog in bad_sleep_forever bad_busy_ignore bad_daemon bad_stop_child bad_vfork_hang \
		bad_threadbomb bad_yes; do
		[ -x "$B/progs/$prog" ] || continue
		line=$("$B/bench/measure" "$B/forklab" run --timeout 1 --output /dev/null -- \
			"$B/progs/$prog")
		printf '%-20s %s\n' "$prog" "$line"
	done
}

# Batch grading: a class of BENCH_STUDENTS copies of the solutions (each a repository with
# labs/), graded with --batch -j 1 and then -j 2, each timed once (a run is minutes long); every
# student must get full marks both times. Prints both times, the time per student and the ratio.
batch_missed=""
bench_batch() {
	echo
	echo "== batch"
	root=$(cd "$here/../.." && pwd)
	n=${BENCH_STUDENTS:-40}
	work="$OUT/batch-work"
	rm -rf "$work"
	mkdir -p "$work/class"
	for i in $(seq -w 1 "$n"); do
		mkdir -p "$work/class/student$i/labs"
		cp -r "$root"/solutions/[0-9][0-9]-* "$work/class/student$i/labs/"
	done
	for j in 1 2; do
		t0=$(date +%s.%N)
		"$B/forklab" grade --batch "$work/class" -j "$j" --output "$work/out$j" \
			${BENCH_BATCH_LABS:-} 2>"$OUT/batch-j$j.log" || {
			echo "bench: batch grading -j $j failed, see $OUT/batch-j$j.log" >&2
			return 1
		}
		t1=$(date +%s.%N)
		echo "$t0 $t1" >"$OUT/batch-j$j.time"
		echo "batch -j $j: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s;" \
			"load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
		# every row: total = max, no note
		if awk -F, 'NR > 1 && ($(NF-2) != $(NF-1) || $NF != "") { bad = 1 } END { exit bad }' \
			"$work/out$j/gradebook.csv"; then :; else
			echo "bench: a student did not get full marks with -j $j ($work/out$j/gradebook.csv)" >&2
			return 1
		fi
	done
	read -r a b <"$OUT/batch-j1.time"
	read -r c d <"$OUT/batch-j2.time"
	verdict=$(awk -v a="$a" -v b="$b" -v c="$c" -v d="$d" -v n="$n" 'BEGIN {
		s = b - a; p = d - c
		printf "batch: %d students, -j 1 %.1f s (%.2f s a student), -j 2 %.1f s (%.2f s a student): ratio %.2f (target <= 0.60) %s\n", n, s, s / n, p, p / n, p / s, p / s <= 0.6 ? "met" : "MISSED" }')
	echo "$verdict" | tee "$OUT/batch.txt"
	case $verdict in *MISSED*) batch_missed=1 ;; esac
	rm -rf "$work"
}

ratio_workloads=""
for w in $WORKLOADS; do
	case $w in
	fork_exit | fork_exec | syscalls | null_writes | dd | writes) bench_workload "$w"; ratio_workloads="$ratio_workloads $w" ;;
	grade) bench_grade; ratio_workloads="$ratio_workloads grade" ;;
	batch) bench_batch ;;
	scale) bench_scale ;;
	*) echo "bench: unknown workload '$w'" >&2; exit 2 ;;
	esac
done

status=0
if [ -n "$ratio_workloads" ]; then
	echo
	perl "$here/ratios.pl" "$OUT" $ratio_workloads || status=$?
fi
[ -f "$OUT/batch.txt" ] && cat "$OUT/batch.txt"
[ -z "$batch_missed" ] || status=1
exit $status
