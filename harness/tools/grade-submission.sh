#!/bin/sh
# grade-submission.sh - grades a student's submission as a course platform hands it over: the
# autograders that `make gradescope` and `make autolab` pack run it for each submission.
# Usage: grade-submission.sh SUBMISSION FORMAT OUTPUT LAB...
#   SUBMISSION  a directory (what the student uploaded: a repository, lab folders, the lab's
#               files, in folders or not, archives among them), or one file: a .tar, .tar.gz,
#               .tgz or .zip of any of those (at most 64 MiB unpacked, no symbolic or hard
#               link in it), or a C source under any name (Autolab hands in a single file). A
#               link anywhere is refused (status 2).
#   FORMAT      a `forklab grade --format` (gradescope, autolab, ...); OUTPUT a file, or - for
#               stdout; LAB  lab directory names (01-fork-return ...)
# Each lab's sources are looked for in this order: a folder named after the lab (04-process-tree)
# anywhere in the submission; each source by its file name (tree.c) anywhere; for the one lab
# still missing, if it is made of one C file, the one C file no other lab took, under any name.
# Archives inside the submission are unpacked (one level) and searched after its own files.
# What was found, built and run is logged on stderr; what could not be found is said in the
# report (forklab grade --note), by file names relative to the submission.
# Runs the forklab of FORKLAB_BUILD (a build directory), by default the one built beside this
# script; the labs are built in a temporary directory, removed at the end.
# Exit status: 0 when the report was written, whatever the score; 2 when it could not be.
set -u

here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
if [ $# -lt 4 ]; then
	echo "usage: grade-submission.sh SUBMISSION FORMAT OUTPUT LAB..." >&2
	exit 2
fi
# Both from the caller's directory (the grading runs from a temporary one).
case $1 in /*) sub=$1 ;; *) sub=$PWD/$1 ;; esac
format=$2
case $3 in /* | -) output=$3 ;; *) output=$PWD/$3 ;; esac
shift 3
forklab=${FORKLAB_BUILD:-$project/build}/forklab
case $forklab in /*) ;; *) forklab=$PWD/$forklab ;; esac
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

# Unpacks the archive $1 into the new directory $2, without owners or permission bits, when
# its listing adds up to at most MAX_UNPACKED bytes; $3 names it in messages. 0, or 1 after
# saying why on stderr.
unpack() {
	size=$(unpacked_size "$1")
	case $size in
	"" | *[!0-9]*) size=$((MAX_UNPACKED + 1)) ;;
	esac
	if [ "$size" -gt "$MAX_UNPACKED" ]; then
		echo "grade-submission: $3 is not an archive of at most 64 MiB" >&2
		return 1
	fi
	link=$(first_link "$1")
	if [ -n "$link" ]; then
		echo "grade-submission: $3 holds a link ($link): links are refused, submit the files themselves" >&2
		return 1
	fi
	mkdir -p "$2" || return 1
	case $1 in
	*.zip) unzip -q "$1" -d "$2" ;;
	*) tar --no-same-owner --no-same-permissions -xf "$1" -C "$2" ;;
	esac || { echo "grade-submission: cannot unpack $3" >&2; return 1; }
}

# A single file: unpack an archive, or take a source file as an upload of that one file.
if [ -f "$sub" ]; then
	case $sub in
	*.tar | *.tar.gz | *.tgz | *.zip)
		unpack "$sub" "$tmp/upload" "$sub" || exit 2 ;;
	*)
		mkdir "$tmp/upload" && cp "$sub" "$tmp/upload/" || exit 2 ;;
	esac
	sub=$tmp/upload
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

nl='
'
log() {
	echo "grade-submission: $*" >&2
}

# The places searched, in order: root 0 is the submission, root N (1, 2, ...) the archive
# $tmp/inner/N.name unpacked into $tmp/inner/N. Hidden files and folders (.git) and __MACOSX are
# not searched.
roots=0
root_dir() {
	if [ "$1" = 0 ]; then echo "$sub"; else echo "$tmp/inner/$1"; fi
}
# Regular files under root $1 ($2: more find tests), as ./path lines, sorted.
files_in() {
	(cd "$(root_dir "$1")" && find . \( -path '*/.*' -o -name __MACOSX -o -name "*$nl*" \) \
		-prune -o -type f ${2:+"$2"} ${3:+"$3"} -print | LC_ALL=C sort)
}
# How a student knows the file $2 of root $1: its path in the submission.
shown() {
	if [ "$1" = 0 ]; then
		echo "${2#./}"
	else
		echo "$(cat "$tmp/inner/$1.name"):${2#./}"
	fi
}

# Archives inside the submission (a .zip uploaded as it is, say): each unpacked once.
unpack_inner() {
	n=0
	files_in 0 >"$tmp/all"
	while IFS= read -r f; do
		case $f in *.zip | *.tar | *.tar.gz | *.tgz) ;; *) continue ;; esac
		n=$((n + 1))
		name=$(shown 0 "$f")
		if [ "$n" -gt 16 ]; then
			log "more than 16 archives in the submission: $name and the rest left unopened"
			break
		fi
		mkdir -p "$tmp/inner" && echo "$name" >"$tmp/inner/$n.name" || exit 2
		if unpack "$sub/$f" "$tmp/inner/$n" "$name"; then
			log "unpacked $name"
			roots="$roots $n"
		fi
	done <"$tmp/all"
}

# Every C file of every root, as "ROOT ./path" lines in search order.
list_c_files() {
	for r in $roots; do
		files_in "$r" -name '*.c' | sed "s|^|$r |"
	done >"$tmp/cfiles"
}

# Copies the regular files of the folder $1 (not its subfolders) into $2.
copy_folder() {
	find "$1" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$2/" \;
}

# Lab $1 from a folder named after it: the shallowest holding all its sources, or (a lab of one
# C file) one C file under another name. 0 when found (copied into $tmp/labs/$1).
from_folder() {
	lab=$1
	dest=$tmp/labs/$lab
	for r in $roots; do
		top=$(root_dir "$r")
		(cd "$top" && find . \( -path '*/.*' -o -name __MACOSX -o -name "*$nl*" \) \
			-prune -o -type d -name "$lab" -print | awk -F/ '{ print NF " " $0 }' |
			LC_ALL=C sort -n | cut -d' ' -f2-) >"$tmp/dirs"
		while IFS= read -r d; do
			missing=0
			for s in $sources; do
				[ -f "$top/$d/$s" ] && [ ! -L "$top/$d/$s" ] || missing=1
			done
			cs=$(find "$top/$d" -maxdepth 1 -type f -name '*.c' ! -name '.*')
			if [ "$missing" = 1 ] && { [ "$(echo "$sources" | wc -w)" != 1 ] ||
				[ "$(echo "$cs" | grep -c .)" != 1 ]; }; then
				continue
			fi
			copy_folder "$top/$d" "$dest" || exit 2
			if [ "$missing" = 1 ]; then
				mv "$dest/$(basename "$cs")" "$dest/$sources" || exit 2
				log "$lab: $sources is $(shown "$r" "$d/$(basename "$cs")")"
			else
				log "$lab: the folder $(shown "$r" "$d")"
			fi
			echo "$cs" >>"$tmp/claimed"
			return 0
		done <"$tmp/dirs"
	done
	return 1
}

# Copies the file $2 of root $1 to $3, with the headers beside it, and marks it taken.
take() {
	top=$(root_dir "$1")
	find "$(dirname "$top/$2")" -maxdepth 1 -type f -name '*.h' ! -name '.*' \
		-exec cp {} "$(dirname "$3")/" \; && cp "$top/$2" "$3" || exit 2
	echo "$top/$2" >>"$tmp/claimed"
}

# Lab $1's sources each by its file name, from the first root that has it, in exactly one
# place. 0 when all were found (copied, with the headers beside them).
by_name() {
	lab=$1
	dest=$tmp/labs/$lab
	found=""
	for s in $sources; do
		hits=$(awk -v s="$s" '{ f = $0; sub(/^[0-9]+ /, "", f); n = split(f, p, "/")
			if (p[n] == s) print }' "$tmp/cfiles" | awk 'NR == 1 { r = $1 } $1 == r')
		if [ -z "$hits" ]; then
			return 1
		fi
		if [ "$(echo "$hits" | grep -c .)" -gt 1 ]; then
			list=""
			while read -r r f; do list="$list, $(shown "$r" "$f")"; done <<EOF
$hits
EOF
			note "$lab: $s is in several places (${list#, }): submit one"
			echo "$lab" >>"$tmp/noted"
			return 1
		fi
		found="$found$hits$nl"
	done
	while read -r r f; do
		[ -n "$f" ] || continue
		take "$r" "$f" "$dest/$(basename "$f")"
		log "$lab: $(basename "$f") is $(shown "$r" "$f")"
	done <<EOF
$found
EOF
}

notes=""
note() {
	notes="$notes${notes:+$nl}$*"
	log "$*"
}

# "a.c, lab4/b.c, ... and 3 more" from "ROOT ./path" lines on stdin.
listing() {
	n=0
	text=""
	while read -r r f; do
		n=$((n + 1))
		[ "$n" -gt 8 ] || text="$text, $(shown "$r" "$f")"
	done
	[ "$n" -le 8 ] || text="$text and $((n - 8)) more"
	echo "${text#, }"
}

unpack_inner
list_c_files
: >"$tmp/claimed"
: >"$tmp/noted"
: >"$tmp/unfound"
log "the submission holds $(grep -c . "$tmp/cfiles") C file(s)"
for lab in "$@"; do
	mkdir -p "$tmp/labs/$lab" || exit 2
	sources=$(cd "$project/labs/$lab" 2>/dev/null && ls -- *.c 2>/dev/null)
	if [ -z "$sources" ]; then
		echo "grade-submission: no lab $lab in $project/labs" >&2
		exit 2
	fi
	from_folder "$lab" || by_name "$lab" || echo "$lab" >>"$tmp/unfound"
done
# The one lab still missing, made of one C file: the one C file no lab took, under any name.
if [ "$(grep -c . "$tmp/unfound")" = 1 ]; then
	lab=$(cat "$tmp/unfound")
	sources=$(cd "$project/labs/$lab" && ls -- *.c)
	left=$(while read -r r f; do
		grep -qxF "$(root_dir "$r")/$f" "$tmp/claimed" || echo "$r $f"
	done <"$tmp/cfiles")
	if [ "$(echo "$sources" | wc -w)" = 1 ] && [ "$(echo "$left" | grep -c .)" = 1 ] &&
		! grep -qxF "$lab" "$tmp/noted"; then
		read -r r f <<EOF
$left
EOF
		take "$r" "$f" "$tmp/labs/$lab/$sources"
		log "$lab: $sources is $(shown "$r" "$f")"
		: >"$tmp/unfound"
	fi
fi
# What was expected and what was found, for each lab not found.
while read -r lab; do
	grep -qxF "$lab" "$tmp/noted" && continue
	sources=$(cd "$project/labs/$lab" && ls -- *.c | tr '\n' ' ')
	sources=${sources% }
	if [ -s "$tmp/cfiles" ]; then
		found="found these C files: $(listing <"$tmp/cfiles")"
	else
		found="found no C file"
		others=$(for r in $roots; do files_in "$r" | sed "s|^|$r |"; done | listing)
		[ -z "$others" ] || found="$found (the submission holds: $others)"
	fi
	if [ "$(echo "$sources" | wc -w)" = 1 ]; then
		note "$lab: no source found: expected $sources (by that name anywhere, or as the" \
			"one C file no other lab took, under any name); $found"
	else
		note "$lab: no sources found: expected $sources (by those names anywhere); $found"
	fi
done <"$tmp/unfound"

# Graded from the temporary directory: forklab builds the labs under it, and its messages name
# the sources labs/<lab>/<file>, never a path of this machine.
cd "$tmp" || exit 2
set -- --labs labs --format "$format" --verbose ${notes:+--note "$notes"} "$@"
if [ "$output" = - ]; then
	"$forklab" grade "$@"
else
	"$forklab" grade --output "$output" "$@"
fi
status=$?
# 1: some check failed, and the report says which. Anything else: forklab could not grade.
[ "$status" -le 1 ] || exit 2
exit 0
