#!/bin/sh
# handout.sh - `make handout`: the students' repository. OUT (build/handout) holds labs/, docs/,
# harness/ without the reference solutions, which hold the lab programs of forklab's own tests
# too (solutions/tests/: the correct ones are solutions written another way, the wrong ones a
# solution with one mistake), the Makefile, README.md, .gitignore and GitHub Classroom's
# workflow, .github/workflows/classroom.yml; and OUT.tar.gz holds OUT. With an assignment file,
# it is the repository's assignment.ini (make grade and the workflow grade by it), and the
# handout of each of its labs lists only the checks the students see, with the assignment's
# points.
# Usage: handout.sh OUT [ASSIGNMENT]. FORKLAB_BUILD: the build directory of the forklab that
# reads the assignment (default: build beside this checkout's Makefile).
# In a git checkout only the files git tracks are taken (an answer key left untracked stays out);
# where git cannot read the checkout (another user's), every file, saying so.
set -eu

[ $# -ge 1 ] && [ $# -le 2 ] || { echo "usage: handout.sh OUT [ASSIGNMENT]" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$1
asg=${2:-}
forklab=${FORKLAB_BUILD:-$root/build}/forklab
if [ -n "$asg" ]; then
	[ -x "$forklab" ] || { echo "handout: $forklab is not built (make all)" >&2; exit 2; }
	case $asg in /*) ;; *) asg=$PWD/$asg ;; esac
	# A bad file stops here, with forklab's line naming what is wrong, before anything is written.
	checks=$("$forklab" checks --assignment "$asg") || exit 2
fi
case $out in /*) ;; *) out=$PWD/$out ;; esac
rm -rf "$out" "$out.tar.gz"
mkdir -p "$out"

SHIPPED="Makefile README.md .gitignore docs labs harness"
tracked=""
if [ -e "$root/.git" ]; then
	if tracked=$(cd "$root" && git ls-files --cached -- $SHIPPED 2>&1) &&
		[ -n "$tracked" ]; then
		(cd "$root" && git ls-files -z --cached -- $SHIPPED) |
			(cd "$root" && xargs -0 sh -c \
				'for f; do [ ! -f "$f" ] || [ -L "$f" ] || cp --parents -t "$0" "$f" || exit 255; done' \
				"$out")
	else
		echo "handout: git cannot list $root's files (${tracked%%
*}): taking every file" >&2
		tracked=""
	fi
fi
if [ ! -e "$root/.git" ] || [ -z "$tracked" ]; then
	(cd "$root" && find $SHIPPED -type f -print0 |
		xargs -0 cp --parents -t "$out")
fi
mkdir -p "$out/.github/workflows"
cp "$root/harness/tools/classroom.yml" "$out/.github/workflows/classroom.yml"

if [ -n "$asg" ]; then
	cp "$asg" "$out/assignment.ini"
	printf '%s\n' "$checks" >"$out/.checks"
	# The check table of each of the assignment's labs: the visible checks, with their points.
	for readme in "$out"/labs/*/README.md; do
		[ -f "$readme" ] || continue
		name=$(basename "$(dirname "$readme")")
		awk -F '\t' -v lab="$name" -v checks="$out/.checks" '
			BEGIN { while ((getline line < checks) > 0) { split(line, f, "\t")
				known = known || f[1] == lab
				if (f[1] == lab && f[4] == "visible")
					rows = rows sprintf("| `%s` | %s | %s |\n", f[2], f[3], f[5]) } }
			known && /^\| id \| points \| check \|/ { print; intable = 1; next }
			intable == 1 && /^\| ---/ { print; printf "%s", rows; intable = 2; next }
			intable == 2 && /^\|/ { next }
			{ intable = 0; print }' "$readme" >"$readme.new"
		mv "$readme.new" "$readme"
	done
	rm -f "$out/.checks"
fi
(cd "$(dirname "$out")" && tar -czf "$out.tar.gz" "$(basename "$out")")
echo "handout: $out and $out.tar.gz"
