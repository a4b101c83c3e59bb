#!/bin/sh
# grade.sh - `make grade`: builds forklab quietly (the compile lines are shown only when the
# build fails), then grades LAB (every lab without). Arguments: the make command, the build
# directory, then the labs.
#
# Ends with the grader's status: 0 when every check passed, 1 when one failed (the report's last
# lines say what the score means and what to do next), 2 when forklab itself failed. The
# Makefile runs `make grade` in question mode (-q), so that make ends with that 1 without
# printing its "Error" line under the report; the make run here, and everything the grader
# starts, must not inherit that mode, or that make would build nothing: the q is taken out of
# MAKEFLAGS' first word (make's single-letter flags) first.
make_cmd=$1
B=$2
shift 2
flags=${MAKEFLAGS%% *}
case $flags in
-* | "") ;;
*q*)
	MAKEFLAGS=${flags%%q*}${flags#*q}${MAKEFLAGS#"$flags"}
	export MAKEFLAGS
	;;
esac
mkdir -p "$B" || exit 2
log="$B/make-grade.log"
if ! $make_cmd --no-print-directory all >"$log" 2>&1; then
	cat "$log" >&2
	echo "forklab: building forklab failed (the lines above say why)" >&2
	exit 2
fi
FORKLAB_MAKE=1 "$B/forklab" grade "$@"
