#!/bin/sh
# solution-lines.sh ROOT DIR... - finds reference solutions in the files under each DIR. A
# solution's lines are those of ROOT/solutions/*/*.c, of the correct test programs
# (ROOT/solutions/tests/*/right_*.c) and of the patches made from a solution (their context and
# added lines), trimmed, of at least 20 characters, not an #include, and in no starter
# (ROOT/labs/*/*.c: what a student is given anyway gives nothing away). A file that holds 3 or
# more lines of one of them, each a whole line (trimmed), is printed with the count and the
# source: FILE: N lines of SOURCE. Exit status 1 when one was found, else 0.
set -eu
root=$1
shift
tmp=$(mktemp -d "${TMPDIR:-/tmp}/forklab-lines.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# "SOURCE<tab>line" for each distinctive line of each source file given on stdin.
lines() {
	while IFS= read -r f; do
		case $f in
		*.patch) sed -n '/^@@/,$p' "$f" | sed -n 's/^[ +]//p' ;;
		*) cat "$f" ;;
		esac | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' |
			awk -v src="${f#"$root"/}" 'length($0) >= 20 && !/^#include/ { print src "\t" $0 }'
	done
}
ls "$root"/labs/*/*.c | lines | cut -f2- | LC_ALL=C sort -u >"$tmp/starters"
ls "$root"/solutions/*/*.c "$root"/solutions/tests/*/right_*.c "$root"/solutions/tests/*/*.patch \
	2>/dev/null | lines | LC_ALL=C sort -u |
	awk -F '\t' 'NR == FNR { given[$0] = 1; next } !($2 in given)' "$tmp/starters" - >"$tmp/lines"
find "$@" -type f -print0 | xargs -0 -r awk -F '\t' '
	NR == FNR { src[$2] = src[$2] " " $1; next }
	FNR == 1 { for (k in seen) delete seen[k] }
	{
		t = $0; sub(/^[ \t]+/, "", t); sub(/[ \t\r]+$/, "", t)
		if (!(t in src) || (FILENAME SUBSEP t) in seen) next
		seen[FILENAME SUBSEP t] = 1
		n = split(src[t], s, " ")
		for (i = 1; i <= n; i++) count[FILENAME "\t" s[i]]++
	}
	END {
		for (k in count) if (count[k] >= 3) {
			split(k, p, "\t"); print p[1] ": " count[k] " lines of " p[2]
		}
	}' "$tmp/lines" >"$tmp/found"
cat "$tmp/found"
[ ! -s "$tmp/found" ]
