#!/bin/bash
# Runs forklab's test suite (one Criterion binary), then checks that no program it ran is still
# alive, and closes with one line: "N passed, M failed". Argument: the build directory.
B=${1:-build}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Anything the tests start runs from $B or as a sandbox uid (61000-61999).
leftovers() {
	ps -eo pid=,uid=,args= | awk -v b="$(basename "$(cd "$B" && pwd)")" '
		$2 >= 61000 && $2 <= 61999 { print; next }
		index($0, b "/progs/") || index($0, b "/labprogs/") || index($0, b "/grade/") { print }'
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
