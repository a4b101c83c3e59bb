#!/bin/bash
# Runs forklab's test suite (one Criterion binary), then checks that no program it ran is still
# alive, and closes with one line: "N passed, M failed". Run as root (as CI runs it), the suite
# runs twice: as root, then as an unprivileged uid from a copy of the checkout that uid owns, so
# that every run proves both identities; FORKLAB_TEST_AS_ROOT_ONLY=1 skips the second pass.
# Arguments: the build directory, then any options for the test binary (e.g. --filter 'trace/*').
B=${1:-build}
[ $# -gt 0 ] && shift
B=$(cd "$B" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
log=$(mktemp)
copy=""
trap 'rm -f "$log"; [ -n "$copy" ] && rm -rf "$copy"' EXIT

passed=0
failed=0

# Processes a pass may have left: anything running from its build directory (test programs,
# lab programs built by the grader, the forklab command) or as a sandbox uid (61000-61999) or as
# the pass's own uid when it is not root. Other checkouts' build directories are not ours.
leftovers() { # BUILD_DIR UID
	# (the path reaches awk through its environment: on its command line awk would match itself)
	ps -eo pid=,uid=,args= | BUILD_DIR="$1/" PASS_UID="$2" awk '
		BEGIN { b = ENVIRON["BUILD_DIR"]; u = ENVIRON["PASS_UID"] }
		$2 >= 61000 && $2 <= 61999 { print; next }
		u != 0 && $2 == u { print; next }
		index($0, b) { print }'
}

# One pass: NAME BUILD_DIR UID COMMAND...; adds its counts to passed/failed.
run_pass() {
	name=$1 dir=$2 uid=$3
	shift 3
	"$@" 2>&1 | tee "$log"
	p=$(sed -n 's/.*Passing: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/.*Failing: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	c=$(sed -n 's/.*Crashing: \([0-9]*\).*/\1/p' "$log" | tail -n 1)
	if [ -z "$p" ]; then
		echo "run-tests: the test binary ($name) printed no synthesis line" >&2
		p=0; f=1; c=0
	fi
	passed=$((passed + p))
	failed=$((failed + f + c))
	# A leftover is still there a moment later (a process of some other forklab run on this
	# machine comes and goes): keep only what two looks two seconds apart both saw.
	first=$(leftovers "$dir" "$uid")
	left=""
	if [ -n "$first" ]; then
		sleep 2
		printf '%s\n' "$first" > "$log.first"
		left=$(leftovers "$dir" "$uid" | grep -Fx -f "$log.first" || true)
		rm -f "$log.first"
	fi
	if [ -n "$left" ]; then
		echo "run-tests: processes left alive by the tests ($name):" >&2
		echo "$left" >&2
		failed=$((failed + 1))
	else
		passed=$((passed + 1))
		echo "run-tests: no process left alive ($name)"
	fi
}

# An unprivileged uid for the second pass: no account, no process, not a sandbox uid.
free_uid() {
	for u in $(seq 60900 60999); do
		getent passwd "$u" >/dev/null && continue
		[ -n "$(ps -o pid= -u "$u" 2>/dev/null)" ] && continue
		echo "$u"
		return 0
	done
	return 1
}

identity="as root"
[ "$(id -u)" = 0 ] || identity="as uid $(id -u)"
echo "run-tests: pass 1, $identity"
run_pass "$identity" "$B" "$(id -u)" "$B/forklab-tests" --jobs 2 --short-filename "$@"

if [ "$(id -u)" = 0 ] && [ -z "${FORKLAB_TEST_AS_ROOT_ONLY:-}" ]; then
	if ! command -v setpriv >/dev/null 2>&1 || ! uid=$(free_uid); then
		echo "run-tests: cannot run the unprivileged pass (no setpriv, or no free uid)" >&2
		failed=$((failed + 1))
	else
		# A copy of the checkout (with its git history: the packaging tests ask git) and of
		# the build, owned by that uid; the test binary finds both from its own path.
		copy=$(mktemp -d /tmp/forklab-unpriv.XXXXXX)
		(cd "$root" && tar --exclude="./$(basename "$B")" --exclude='./build' \
			--exclude='./build-*' -cf - .) | tar -xf - -C "$copy"
		cp -a "$B" "$copy/build"
		chown -R "$uid:$uid" "$copy"
		chmod 0755 "$copy"
		echo "run-tests: pass 2, as uid $uid (unprivileged), in $copy"
		run_pass "uid $uid" "$copy/build" "$uid" \
			setpriv --reuid="$uid" --regid="$uid" --clear-groups \
			env HOME="$copy" "$copy/build/forklab-tests" --jobs 2 --short-filename "$@"
	fi
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
