#!/bin/sh
# grade-submission.sh - grades a student's submission as a course platform hands it over: the
# autograders that `make gradescope` and `make autolab` pack run it for each submission.
# Usage: grade-submission.sh SUBMISSION FORMAT OUTPUT LAB...
#   SUBMISSION  a directory holding the student's repository (labs/NN-topic/...), lab directories
#               (NN-topic/...) or, when one LAB is graded, that lab's files as they are; or one
#               file: a .tar, .tar.gz, .tgz or .zip of any of those (at most 64 MiB unpacked,
#               no symbolic or hard link in it), or (one LAB) the lab's C source under any
#               name (Autolab hands in a single file). A link anywhere is refused (status 2).
#   FORMAT      a `forklab grade --format` (gradescope, autolab, ...); OUTPUT a file, or - for
#               stdout; LAB  lab directory names (01-fork-return ...)
# Runs the forklab of FORKLAB_BUILD (a build directory), by default the one built beside this
# script, from the project directory above it (lab builds go under its build/grade/).
# Exit status: 0 when the report was written, whatever the score; 2 when it could not be.
set -u

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
if [ $# -lt 4 ]; then
	echo "usage: grade-submission.sh SUBMISSION FORMAT OUTPUT LAB..." >&2
	exit 2
fi
# Both from the caller's directory (the grading runs from the project's).
case $1 in /*) sub=$1 ;; *) sub=$PWD/$1 ;; esac
format=$2
case $3 in /* | -) output=$3 ;; *) output=$PWD/$3 ;; esac
shift 3
forklab=${FORKLAB_BUILD:-$project/build}/forklab
if [ ! -x "$forklab" ]; then
	echo "grade-submission: $forklab is not built" >&2
	exit 2
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/forklab-submission.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

# What an archive says it holds, in bytes (tar's listing, zip's total line); "" if unreadable.
unpacked_size() {
	case $1 in
	*.zip) unzip -l "$1" 2>/dev/null | tail -n 1 | awk '{ print $1 }' ;;
	*) tar -tvf "$1" 2>/dev/null | awk '{ s += $3 } END { if (NR) print s }' ;;
	esac
}
MAX_UNPACKED=$((64 * 1024 * 1024))

# The first link an archive holds (symbolic or hard: a link could hand the grader a file or
# directory outside the submission, the reference solutions say), or "" when none.
first_link() {
	case $1 in
	*.zip) unzip -Z "$1" 2>/dev/null | awk '$1 ~ /^l/ { print $NF; exit }' ;;
	*) tar -tvf "$1" 2>/dev/null | awk '$1 ~ /^[lh]/ { print $6; exit }' ;;
	esac
}

# A single file: unpack an archive, or place one source file under the lab's own file name.
if [ -f "$sub" ]; then
	case $sub in
	*.tar | *.tar.gz | *.tgz | *.zip)
		size=$(unpacked_size "$sub")
		if [ -z "$size" ] || [ "$size" -gt "$MAX_UNPACKED" ]; then
			echo "grade-submission: $sub is not an archive of at most 64 MiB" >&2
			exit 2
		fi
		link=$(first_link "$sub")
		if [ -n "$link" ]; then
			echo "grade-submission: $sub holds a link ($link): links are refused, submit the files themselves" >&2
			exit 2
		fi ;;
	esac
	mkdir "$tmp/in" || exit 2
	case $sub in
	*.tar | *.tar.gz | *.tgz)
		tar --no-same-owner --no-same-permissions -xf "$sub" -C "$tmp/in" ||
			{ echo "grade-submission: cannot unpack $sub" >&2; exit 2; } ;;
	*.zip)
		unzip -q "$sub" -d "$tmp/in" || { echo "grade-submission: cannot unpack $sub" >&2; exit 2; } ;;
	*)
		if [ $# -ne 1 ]; then
			echo "grade-submission: one source file, but $# labs to grade" >&2
			exit 2
		fi
		set -- "$1" "$project"/labs/"$1"/*.c
		if [ $# -ne 2 ] || [ ! -f "$2" ]; then
			echo "grade-submission: lab $1 is not made of one C file" >&2
			exit 2
		fi
		mkdir "$tmp/in/$1" && cp "$sub" "$tmp/in/$1/$(basename "$2")" || exit 2
		set -- "$1" ;;
	esac
	sub=$tmp/in
	# An archive of one folder (a repository packed with its name): look inside it.
	only=$(ls -A "$sub")
	case $only in
	*"
"* | [0-9][0-9]-* | labs | "") ;;
	*) [ -d "$sub/$only" ] && sub=$sub/$only ;;
	esac
fi
if [ ! -d "$sub" ]; then
	echo "grade-submission: no submission at $sub" >&2
	exit 2
fi
# A directory handed over as it is: no symbolic link in it either (forklab itself refuses a
# linked lab directory or source, but says less).
link=$(find "$sub" -type l -print 2>/dev/null | head -n 1)
if [ -n "$link" ] || [ -L "$sub" ]; then
	echo "grade-submission: ${link:-$sub} is a link: links are refused, submit the files themselves" >&2
	exit 2
fi

# Where the lab directories are: labs/, the top, or (one lab) the files themselves.
if [ -d "$sub/labs" ]; then
	tree=$sub/labs
elif [ $# -eq 1 ] && [ ! -d "$sub/$1" ]; then
	# (a copy, not a link: forklab opens a lab directory without following links)
	mkdir -p "$tmp/flat" && cp -RP "$sub" "$tmp/flat/$1" || exit 2
	tree=$tmp/flat
else
	tree=$sub
fi

cd "$project" || exit 2
if [ "$output" = - ]; then
	"$forklab" grade --labs "$tree" --format "$format" "$@"
else
	"$forklab" grade --labs "$tree" --format "$format" --output "$output" "$@"
fi
status=$?
# 1: some check failed, and the report says which. Anything else: forklab could not grade.
[ "$status" -le 1 ] || exit 2
exit 0
