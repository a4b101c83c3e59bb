#!/bin/bash
# Runs forklab's test suite (one Criterion binary), then checks that no program it ran is still
# alive, and closes with one line: "N passed, M failed". Arguments: the build directory, then
# any options for the test binary (e.g. --filter 'trace/*').
B=${1:-build}
[ $# -gt 0 ] && shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Anything the tests start runs from $B (test programs, lab programs built by the grader, the
# forklab command) or as a sandbox uid (61000-61999). $B by its full path: other checkouts'
# build directories on this machine are not ours.
leftovers() {
	# (the path reaches awk through its environment: on its command line awk would match itself)
	ps -eo pid=,uid=,args= | BUILD_DIR="$(cd "$B" && pwd)/" awk '
		BEGIN { b = ENVIRON["BUILD_DIR"] }
		$2 >= 61000 && $2 <= 61999 { print; next }
		index($0, b) { print }'
}

"$B/forklab-tests" --jobs 2 --short-filename "$@" 2>&1 | tee "$log"
passing=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
failing=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
crashing=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -z "$passing" ]; then
	echo "run-tests: the test binary printed no synthesis line" >&2
	passing=0; failing=1; crashing=0
fi
failed=$((failing + crashing))

# A leftover is still there a moment later (a process of some other forklab run on this machine
# comes and goes): keep only what two looks two seconds apart both saw.
first=$(leftovers)
left=""
if [ -n "$first" ]; then
	sleep 2
	printf '%s\n' "$first" > "$log.first"
	left=$(leftovers | grep -Fx -f "$log.first" || true)
	rm -f "$log.first"
fi
if [ -n "$left" ]; then
	echo "run-tests: processes left alive by the tests:" >&2
	echo "$left" >&2
	failed=$((failed + 1))
else
	passing=$((passing + 1))
	echo "run-tests: no process left alive"
fi
echo "$passing passed, $failed failed"
[ "$failed" -eq 0 ]
