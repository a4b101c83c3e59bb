#!/bin/sh
# grade.sh - `make grade`: builds forklab quietly (the compile lines are shown only when the
# build fails), then grades LAB (every lab without). Arguments: the make command, the build
# directory, then the labs.
#
# A failed check is the report's news, not a failure of `make grade`: once the labs were graded
# it ends with status 0, so that make adds no "Error" line under the report; the report's last
# lines say what the score means and what to do next. forklab itself failing is status 2.
# (make can only end with 0 or 2 after a recipe; `build/forklab grade` ends with 1 when a check
# failed, for scripts.)
make_cmd=$1
B=$2
shift 2
mkdir -p "$B" || exit 2
log="$B/make-grade.log"
if ! $make_cmd --no-print-directory all >"$log" 2>&1; then
	cat "$log" >&2
	echo "forklab: building forklab failed (the lines above say why)" >&2
	exit 2
fi
FORKLAB_MAKE=1 "$B/forklab" grade "$@"
status=$?
[ "$status" -le 1 ] && exit 0
exit "$status"
