#!/bin/sh
# package.sh - `make gradescope` and `make autolab`: packs forklab as a course platform's
# autograder for the labs given. Both packs hold forklab's sources without the reference
# solutions, its tests or benchmarks (student programs run where the pack is unpacked: nothing
# there should be worth reading); each submission is graded by harness/tools/grade-submission.sh.
#   gradescope: OUT/forklab-autograder.zip with setup.sh (run once, as root, when Gradescope
#               builds the image) and run_autograder (run for each submission)
#   autolab:    OUT/autograde.tar and OUT/autograde-Makefile, the two files of an Autolab
#               assessment's autograder
# Usage: package.sh gradescope|autolab OUT_DIR [LAB...]  (LAB: 04, 4, 04-process-tree,
# process-tree; none: every lab). FORKLAB_PACKAGES: the Debian packages to name in autolab's
# Makefile (the Makefile's DEB_PACKAGES). FORKLAB_ASSIGNMENT: an assignment file, packed as
# forklab/assignment.ini and graded by (its labs when no LAB is given; needs build/forklab).
set -eu

usage="usage: package.sh gradescope|autolab OUT_DIR [LAB...]"
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
platform=$1
OUT=$2
shift 2
case $platform in
gradescope) tools="zip" ;;
autolab) tools="tar" ;;
*) echo "$usage" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/../.." && pwd)
for tool in $tools; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "package: $tool is missing (make deps installs it)" >&2
		exit 2
	fi
done

# Each LAB as its directory name under labs/; none: all of them (or the assignment's).
names=""
asg=${FORKLAB_ASSIGNMENT:-}
if [ -n "$asg" ] && [ $# -eq 0 ]; then
	set -- $("$root/build/forklab" checks --assignment "$asg" | cut -f1 | uniq)
	[ $# -gt 0 ] || exit 2
fi
[ $# -gt 0 ] || set -- $(cd "$root/labs" && ls -d [0-9][0-9]-*)
for lab in "$@"; do
	num=$(printf '%s' "$lab" | sed -n 's/^0*\([0-9][0-9]*\).*/\1/p')
	if [ -n "$num" ]; then
		dir=$(cd "$root/labs" && ls -d "$(printf '%02d' "$num")"-* 2>/dev/null | head -n 1)
	else
		dir=$(cd "$root/labs" && ls -d [0-9][0-9]-"$lab" 2>/dev/null | head -n 1)
	fi
	if [ -z "$dir" ]; then
		echo "package: no lab '$lab' in labs/" >&2
		exit 2
	fi
	names="$names $dir"
done
names=${names# }

stage=$(mktemp -d "${TMPDIR:-/tmp}/forklab-package.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/forklab"
# The project's files as they are in the working tree (in a git checkout those git does not
# ignore, else all but build directories), less what must not be there.
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z --cached --others --exclude-standard -- . ':!solutions' \
		':!harness/tests' ':!harness/bench' |
		xargs -0 sh -c 'for f; do [ ! -e "$f" ] || cp --parents -t "$0" "$f"; done' \
		"$stage/forklab")
else
	(cd "$root" && find . \( -path ./solutions -o -path ./harness/tests -o -path ./harness/bench \
		-o -path './build*' -o -path ./.git \) -prune -o -type f -print0 |
		xargs -0 cp --parents -t "$stage/forklab")
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
asg_env=""
if [ -n "$asg" ]; then
	cp "$asg" "$stage/forklab/assignment.ini"
	asg_env="FORKLAB_ASSIGNMENT=\"\$ag/source/forklab/assignment.ini\" "
fi

if [ "$platform" = gradescope ]; then
	cat >"$stage/setup.sh" <<'EOF'
#!/bin/sh
# Gradescope runs this once, as root, when it builds the autograder image: forklab's Debian
# packages, then forklab itself.
set -e
cd "$(dirname "$0")/forklab"
make deps all
EOF
	cat >"$stage/run_autograder" <<EOF
#!/bin/sh
# Gradescope runs this for each submission, as root: forklab builds and grades the labs below and
# writes results/results.json; student programs run as an unprivileged uid of their own. The
# submission may be a repository, lab directories or one lab's files (grade-submission.sh).
ag=\${FORKLAB_AUTOGRADER:-/autograder}
mkdir -p "\$ag/results" || exit 2
${asg_env}exec sh "\$ag/source/forklab/harness/tools/grade-submission.sh" "\$ag/submission" gradescope \\
	"\$ag/results/results.json" $names
EOF
	chmod 755 "$stage/setup.sh" "$stage/run_autograder"
	rm -f "$OUT/forklab-autograder.zip"
	(cd "$stage" && zip -q -r "$OUT/forklab-autograder.zip" setup.sh run_autograder forklab)
	echo "package: $OUT/forklab-autograder.zip (labs: $names)"
else
	(cd "$stage" && tar -cf "$OUT/autograde.tar" forklab)
	cat >"$OUT/autograde-Makefile" <<EOF
# Autolab runs \`make\` where this file (as Makefile), autograde.tar and the student's handin file
# are: it builds forklab (unless FORKLAB_BUILD names a build of it already in the image) and
# grades the handin; the last line printed is the scores Autolab reads. The image needs
# forklab's Debian packages: ${FORKLAB_PACKAGES:-see forklab/README.md}
# (and, for student programs to run as a uid of their own, the grading must run as root).
LABS = $names

all:
	@tar -xf autograde.tar
	@if [ -z "\$\$FORKLAB_BUILD" ]; then cd forklab && \$(MAKE) -s all >../forklab-build.log 2>&1 || \\
		{ echo "forklab could not be built:"; cat ../forklab-build.log; exit 2; }; fi
	@${asg:+FORKLAB_ASSIGNMENT="\$\$PWD/forklab/assignment.ini" }sh forklab/harness/tools/grade-submission.sh \\
		"\$\$(ls -A | grep -v -x -e Makefile -e autograde.tar -e forklab -e forklab-build.log | head -n 1)" \\
		autolab - \$(LABS)
EOF
	echo "package: $OUT/autograde.tar and $OUT/autograde-Makefile (labs: $names)"
fi
